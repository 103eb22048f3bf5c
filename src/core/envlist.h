/* A child's environment built from ours: some variables dropped, some set
 * (ECOMETER_SOCKET for `run`'s command; HOME, USER, LOGNAME for the sudo
 * user). */
#ifndef ECO_CORE_ENVLIST_H
#define ECO_CORE_ENVLIST_H

/* A new NULL-terminated array: env without the variables named in `drop`
 * (NULL-terminated names, no '='), then the "NAME=value" strings of `add`
 * (NULL-terminated; may be empty). The strings are not copied: free only the
 * array. NULL when out of memory. */
char **eco_env_edit(char *const *env, const char *const *drop, char *const *add);

#endif
