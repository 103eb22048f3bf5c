/* Levenshtein distance with two rows (see edit_distance.h). */
#include "core/edit_distance.h"

#include <string.h>

size_t eco_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > ECO_EDIT_MAX_LEN || lb > ECO_EDIT_MAX_LEN)
        return (size_t)-1;
    size_t prev[ECO_EDIT_MAX_LEN + 1], cur[ECO_EDIT_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t m = del < ins ? del : ins;
            cur[j] = m < sub ? m : sub;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}
