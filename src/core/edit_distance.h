/* Levenshtein edit distance, for "did you mean" suggestions (hardware names,
 * command-line options). */
#ifndef ECO_CORE_EDIT_DISTANCE_H
#define ECO_CORE_EDIT_DISTANCE_H

#include <stddef.h>

#define ECO_EDIT_MAX_LEN 127

/* Insertions, deletions and substitutions that turn a into b. Strings longer
 * than ECO_EDIT_MAX_LEN bytes are not compared: the result is then
 * (size_t)-1, farther than any real distance. */
size_t eco_edit_distance(const char *a, const char *b);

#endif
