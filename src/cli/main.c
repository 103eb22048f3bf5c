/* ecometer: the command-line entry point. Everything else lives in
 * src/cli/dispatch.c (the command table) and the library. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return eco_cli_main(argc, argv);
}
