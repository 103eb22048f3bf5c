/* "Did you mean": the closest of a list of names to what was typed, for
 * unknown commands (and any other closed list of words). */
#ifndef ECO_CORE_SUGGEST_H
#define ECO_CORE_SUGGEST_H

#include <stddef.h>

/* The name closest to typed (Levenshtein distance, core/edit_distance.h),
 * or NULL when none is close enough to be a
 * plausible typo: distance at most 1 for words up to 4 letters, 2 up to 8,
 * else 3; or typed is a prefix of exactly one name (at least 2 letters). */
const char *eco_closest(const char *typed, const char *const *names, size_t n);

#endif
