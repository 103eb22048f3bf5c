/* libFuzzer harness for the GGUF reader (src/model/gguf.c) and the cost
 * pass over what it returns (src/model/gguf_cost.c).
 *   make fuzz-gguf     builds build/fuzz/fuzz_gguf with clang -fsanitize=fuzzer,address,undefined
 *                      and runs it on a copy of the committed corpus (FUZZ_SECONDS, default 60)
 *   make check         builds build/fuzz_gguf_replay (this file with ECO_FUZZ_REPLAY: a
 *                      plain main that feeds every file named on the command line, or every
 *                      file in a named directory, through the same entry point) and
 *                      tests/e2e/gguf_fuzz_replay.sh replays tests/fuzz/corpus/gguf. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/gguf.h"
#include "model/gguf_cost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy: any read past `size` hits ASan's redzone. */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct eco_gguf g;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_gguf_parse(copy, size, &g, &err) == 0) {
        struct eco_gguf_cost c;
        if (eco_gguf_cost(&g, 0, 7, &c, &err) == 0)
            eco_gguf_cost_free(&c);
        for (uint64_t i = 0; i < g.n_kv; i++) {
            const struct eco_gguf_value *v = &g.kv[i].value;
            struct eco_gguf_value e;
            if (v->type == ECO_GGUF_ARRAY && v->v.array.count)
                eco_gguf_array_get(&g, v, v->v.array.count - 1, &e);
        }
        eco_gguf_close(&g);
    } else if (err.code != 2 && err.code != 1) {
        abort(); /* every failure must say what kind it is */
    }
    free(copy);
    return 0;
}

#ifdef ECO_FUZZ_REPLAY
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_gguf_replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
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
    int files = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *de;
            while (d && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                    continue;
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", argv[i], de->d_name);
                bad += replay_file(p) != 0;
                files++;
            }
            if (d)
                closedir(d);
        } else {
            bad += replay_file(argv[i]) != 0;
            files++;
        }
    }
    printf("fuzz_gguf_replay: %d inputs replayed, %d unreadable\n", files, bad);
    return bad || files == 0;
}
#endif
