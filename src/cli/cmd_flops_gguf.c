/* Placeholder until the GGUF reader lands: says so plainly. */
#include <stdio.h>

#include "cli/flops_gguf.h"

int eco_cli_flops_gguf(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ecometer: GGUF files are not supported by this build yet\n");
    return 1;
}
