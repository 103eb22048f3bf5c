#include "core/envlist.h"

#include <stdlib.h>
#include <string.h>

/* Whether the entry "NAME=value" is one of the names. */
static int named(const char *entry, const char *const *names)
{
    for (size_t j = 0; names[j]; j++) {
        size_t len = strlen(names[j]);
        if (strncmp(entry, names[j], len) == 0 && entry[len] == '=')
            return 1;
    }
    return 0;
}

char **eco_env_edit(char *const *env, const char *const *drop, char *const *add)
{
    size_t n = 0, n_add = 0;
    while (env[n])
        n++;
    while (add[n_add])
        n_add++;
    char **out = calloc(n + n_add + 1, sizeof *out);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!named(env[i], drop))
            out[k++] = env[i];
    for (size_t i = 0; i < n_add; i++)
        out[k++] = add[i];
    out[k] = NULL;
    return out;
}
