/* libFuzzer harness for the ONNX reader and shape inference:
 *   clang -fsanitize=fuzzer,address  (make fuzz-onnx, see mk/onnx.mk)
 * Built without -DECO_LIBFUZZER it is a replayer: `fuzz_onnx_replay DIR...`
 * runs every file of the committed corpus through the same entry point, so
 * `make check` exercises it under the normal gcc build. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/onnx.h"
#include "model/shape_infer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eco_onnx_model m;
    struct eco_onnx_costs r;
    struct eco_err e;
    memset(&m, 0, sizeof m);
    memset(&r, 0, sizeof r);
    eco_err_clear(&e);
    if (eco_onnx_parse(data, size, &m, &e) == 0) {
        struct eco_infer_opts o = {.batch = 2};
        eco_infer_model(&m, &o, &r, &e);
    }
    eco_onnx_costs_free(&r);
    eco_onnx_free(&m);
    return 0;
}

#ifndef ECO_LIBFUZZER
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        return -1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            if (replay_file(argv[i]) != 0)
                return 1;
            files++;
            continue;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
            if (replay_file(path) != 0) {
                closedir(d);
                return 1;
            }
            files++;
        }
        closedir(d);
    }
    printf("replayed %d inputs without a crash\n", files);
    return 0;
}
#endif
