#include "core/suggest.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

size_t eco_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    /* three rows for the transposition (optimal string alignment) */
    size_t d[3][65];
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *prev2 = d[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
    }
    return d[la % 3][lb];
}

const char *eco_closest(const char *typed, const char *const *names, size_t n)
{
    if (!typed || !*typed)
        return NULL;
    size_t len = strlen(typed);
    size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL, *prefix = NULL;
    size_t best_d = (size_t)-1, n_prefix = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = eco_edit_distance(typed, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
        if (len >= 2 && strncasecmp(names[i], typed, len) == 0) {
            prefix = names[i];
            n_prefix++;
        }
    }
    if (best && best_d <= allowed && best_d < strlen(best))
        return best;
    return n_prefix == 1 ? prefix : NULL;
}
