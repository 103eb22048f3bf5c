/* Internal to src/hw/ and tools/hw_gen.c: the hardware tables as data.
 * Loading a TSV into checked rows (hw_rows.c) and the exact-name index
 * (hw_index.c) are shared by the build-time generator, which turns
 * data/gpus.tsv and data/cpus.tsv into C (build/gen/hw_builtin.c), and by
 * the run-time merge of a user override file (hardware.c). */
#ifndef ECO_HW_TABLE_H
#define ECO_HW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/tsv.h"
#include "hw/hardware.h"

/* One name or alias of a row, normalised: its tokens (eco_fz_tokenize)
 * joined by single spaces, at offset norm of the table's key text. Two texts
 * normalise to the same key exactly when eco_fz_same says they match, so an
 * exact lookup is a binary search. Offsets, not pointers: a pointer in the
 * built-in data is a relocation the dynamic loader applies at every start,
 * `ecometer version` included. */
struct eco_hw_key {
    uint32_t norm;
    uint32_t row;
    unsigned char alias; /* 0: the row's name, 1: one of its aliases */
};

/* A table in use: rows plus its keys sorted by norm (strcmp), then row, then
 * alias. Names and aliases that normalise to no token have no key (they
 * match nothing). */
struct eco_hw_table {
    const void *rows; /* struct eco_gpu[n] or struct eco_cpu[n] */
    size_t n;
    const struct eco_hw_key *keys;
    size_t n_keys;
    const char *key_text;
};

/* data/gpus.tsv and data/cpus.tsv as eco_hw_rows_add and eco_hw_index_build
 * make them, generated at build time by tools/hw_gen.c: every string once in
 * text, the rows with their strings as offsets into it (packed), unpacked
 * into rows at first use (eco_hw_builtin_unpack: copies, no parsing). */
#define ECO_HW_MAX_STRINGS 6
struct eco_hw_packed_gpu {
    struct eco_gpu v;                 /* the numbers; string fields NULL */
    uint32_t str[ECO_HW_MAX_STRINGS]; /* offsets of the strings, in eco_hw_string_fields order */
};
struct eco_hw_packed_cpu {
    struct eco_cpu v;
    uint32_t str[ECO_HW_MAX_STRINGS];
};
struct eco_hw_builtin {
    int is_gpu;
    const char *text;
    const void *packed; /* struct eco_hw_packed_gpu[n] or struct eco_hw_packed_cpu[n] */
    void *rows;         /* n rows, zero until unpacked */
    size_t n;
    const struct eco_hw_key *keys;
    size_t n_keys;
};
extern const struct eco_hw_builtin eco_hw_builtin_gpus;
extern const struct eco_hw_builtin eco_hw_builtin_cpus;

/* Fill b->rows from b->packed; call once (the caller locks). */
void eco_hw_builtin_unpack(const struct eco_hw_builtin *b);
/* The offsets of a row's string fields (name, aliases, ...); their count. */
size_t eco_hw_string_fields(int is_gpu, const size_t **offsets);

/* Rows being loaded: the built-in file at build time, or the built-in rows
 * plus the override file at run time. */
struct eco_hw_rows {
    int is_gpu;
    void *rows;               /* struct eco_gpu[n] or struct eco_cpu[n], owned */
    size_t n;
    unsigned char *from_user; /* per row: it came from the override file */
};

size_t eco_hw_row_size(int is_gpu);
const char *eco_hw_row_name(int is_gpu, const void *rows, size_t i);
const char *eco_hw_row_aliases(int is_gpu, const void *rows, size_t i);

/* Start rows as a copy of n given rows (none: rows NULL, n 0). */
int eco_hw_rows_init(struct eco_hw_rows *r, int is_gpu, const void *rows, size_t n, struct eco_err *err);
/* Check and append the rows of a parsed TSV (its text must outlive them);
 * from_user rows replace the earlier row of the same name. -1 with err
 * naming origin:line for the first bad row. */
int eco_hw_rows_add(struct eco_hw_rows *r, const struct eco_tsv *t, const char *origin, int from_user,
                    struct eco_err *err);
void eco_hw_rows_free(struct eco_hw_rows *r);

/* Calls fn for row i's name (alias 0), then each '|'-separated alias
 * (alias 1, cut at 255 bytes as the lookup always did); stops at and
 * returns the first nonzero return of fn. */
int eco_hw_row_keys(int is_gpu, const void *rows, size_t i, int (*fn)(const char *key, int alias, void *ctx),
                    void *ctx);

/* The sorted keys of n rows; free with eco_hw_index_free. */
struct eco_hw_index {
    struct eco_hw_key *keys;
    size_t n;
    char *text; /* the norm strings */
};
int eco_hw_index_build(int is_gpu, const void *rows, size_t n, struct eco_hw_index *out, struct eco_err *err);
void eco_hw_index_free(struct eco_hw_index *ix);
/* The key of a text into buf (ECO_HW_NORM_LEN bytes); returns its number
 * of tokens (0: the text matches nothing). */
int eco_hw_normalise(const char *text, char *buf);
/* The keys of t equal to norm: their count, the first at *first. */
size_t eco_hw_index_find(const struct eco_hw_table *t, const char *norm, size_t *first);

/* Room for any normalised key: ECO_FZ_MAX_TOKENS tokens of up to
 * ECO_FZ_TOKEN_LEN - 1 characters, spaces between, and the NUL. */
#define ECO_HW_NORM_LEN 600

#endif
