/* eco_env_edit: the one way a child's environment is built (run's command,
 * the sudo user's command). */
#include <stdlib.h>

#include "core/envlist.h"
#include "test.h"

ECO_TEST(env_edit_drops_by_exact_name_and_appends)
{
    char *env[] = {"PATH=/bin", "HOME=/root", "HOMEDIR=/x", "USER=root", "HOME", "ECOMETER_SOCKET=/old", NULL};
    static const char *const drop[] = {"HOME", "ECOMETER_SOCKET", NULL};
    char *add[] = {"HOME=/home/ada", "ECOMETER_SOCKET=/new", NULL};
    char **out = eco_env_edit(env, drop, add);
    CHECK(out != NULL);
    /* HOMEDIR and a bare "HOME" (no '=') are other entries: kept */
    const char *want[] = {"PATH=/bin", "HOMEDIR=/x", "USER=root", "HOME", "HOME=/home/ada", "ECOMETER_SOCKET=/new"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_STR(out[i], want[i]);
    CHECK(out[6] == NULL);
    CHECK(out[4] == add[0]); /* not copied */
    free(out);
}

ECO_TEST(env_edit_with_nothing_to_add_only_drops)
{
    char *env[] = {"ECOMETER_SOCKET=/old", "A=1", NULL};
    static const char *const drop[] = {"ECOMETER_SOCKET", NULL};
    char *add[] = {NULL};
    char **out = eco_env_edit(env, drop, add);
    CHECK(out != NULL);
    CHECK_STR(out[0], "A=1");
    CHECK(out[1] == NULL);
    free(out);
}
