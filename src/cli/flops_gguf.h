/* `ecometer flops FILE.gguf ...`: cmd_flops.c (ONNX) hands GGUF files to this
 * entry point (src/cli/cmd_flops_gguf.c) with the same argc/argv. */
#ifndef ECO_CLI_FLOPS_GGUF_H
#define ECO_CLI_FLOPS_GGUF_H

int eco_cli_flops_gguf(int argc, char **argv);

#endif
