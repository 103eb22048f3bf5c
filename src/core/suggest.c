#include "core/suggest.h"

#include "core/edit_distance.h"

#include <string.h>
#include <strings.h>

const char *eco_closest(const char *typed, const char *const *names, size_t n)
{
    if (!typed || !*typed)
        return NULL;
    size_t len = strlen(typed);
    size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL, *prefix = NULL;
    size_t best_d = (size_t)-1, n_prefix = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = eco_edit_distance(typed, names[i]); /* (size_t)-1 for a very long word */
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
