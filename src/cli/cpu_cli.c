/* --cpu and --cpu-tdp (see cpu_cli.h). */
#include "cli/cpu_cli.h"

#include "cli/cli.h"
#include "sensors/cpu_choice.h"

static const char *cpu_name, *cpu_tdp;

void eco_cpu_cli_set(const char *name, const char *tdp)
{
    if (name)
        cpu_name = name;
    if (tdp)
        cpu_tdp = tdp;
}

int eco_cpu_cli_apply(void)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_cpu_choice_apply(cpu_name, cpu_tdp, &err) != 0) {
        err.code = ECO_EXIT_USAGE;
        return eco_err_print(&err);
    }
    return 0;
}
