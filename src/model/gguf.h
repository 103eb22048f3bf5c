/* A bounded reader of GGUF files (ggml's model format, versions 2 and 3):
 * header, metadata key-values of every type, tensor infos, alignment and
 * data offsets. The file is memory-mapped and only its header part is ever
 * touched: tensor data is never read. Every length is checked against the
 * end of the file and against absurd values before use; an error names the
 * byte offset where the file stopped making sense.
 * Layout facts: ggml's docs/gguf.md; block sizes: ggml's type traits. */
#ifndef ECO_MODEL_GGUF_H
#define ECO_MODEL_GGUF_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Metadata value types (gguf_metadata_value_type). */
enum eco_gguf_vtype {
    ECO_GGUF_UINT8 = 0,
    ECO_GGUF_INT8 = 1,
    ECO_GGUF_UINT16 = 2,
    ECO_GGUF_INT16 = 3,
    ECO_GGUF_UINT32 = 4,
    ECO_GGUF_INT32 = 5,
    ECO_GGUF_FLOAT32 = 6,
    ECO_GGUF_BOOL = 7,
    ECO_GGUF_STRING = 8,
    ECO_GGUF_ARRAY = 9,
    ECO_GGUF_UINT64 = 10,
    ECO_GGUF_INT64 = 11,
    ECO_GGUF_FLOAT64 = 12
};

/* A string inside the mapped file: not NUL-terminated (print with %.*s). */
struct eco_gguf_str {
    const char *ptr;
    uint64_t len;
};

struct eco_gguf_value {
    uint32_t type; /* enum eco_gguf_vtype */
    union {
        uint64_t u64; /* every unsigned integer type */
        int64_t i64;  /* every signed integer type */
        double f64;   /* float32 and float64 */
        int b;        /* bool */
        struct eco_gguf_str str;
        struct {
            uint32_t elem_type;
            uint64_t count;
            uint64_t offset; /* file offset of the first element */
        } array;
    } v;
};

struct eco_gguf_kv {
    struct eco_gguf_str key;
    uint64_t offset; /* file offset where this key-value starts */
    struct eco_gguf_value value;
};

/* ggml allows 4 dimensions today; the format leaves room for more. */
#define ECO_GGUF_MAX_DIMS 8

struct eco_gguf_tensor {
    struct eco_gguf_str name;
    uint64_t info_offset; /* file offset of this tensor's info */
    uint32_t n_dims;
    uint64_t dims[ECO_GGUF_MAX_DIMS]; /* ggml order: dims[0] is the contiguous one */
    uint32_t type;                    /* ggml type id */
    uint64_t offset;                  /* relative to the data section */
    uint64_t n_elements;              /* = parameters */
    uint64_t n_bytes;                 /* 0 when the type is unknown */
};

struct eco_gguf {
    void *map; /* set by eco_gguf_open (munmap'd by eco_gguf_close) */
    size_t map_size;
    const unsigned char *data; /* the bytes parsed */
    size_t size;
    int big_endian; /* v3 allows big-endian files; detected from the version */
    uint32_t version;
    uint64_t n_tensors, n_kv;
    struct eco_gguf_kv *kv;
    struct eco_gguf_tensor *tensors;
    uint64_t alignment;   /* general.alignment or 32 */
    uint64_t data_offset; /* file offset of the tensor data section */
};

/* What ggml says about a tensor type: a block of `block` elements takes
 * `bytes` bytes. `removed` marks ids ggml no longer writes (still sized). */
struct eco_ggml_type_info {
    const char *name;
    uint32_t block;
    uint32_t bytes;
    int quantized;
    int removed;
};
/* NULL for an id ggml never defined (or that ecometer does not know). */
const struct eco_ggml_type_info *eco_ggml_type(uint32_t type);
/* Name of a type id: "Q4_K", or "type42" written into buf for unknown ids. */
const char *eco_ggml_type_name(uint32_t type, char *buf, size_t len);

/* Parse a GGUF image in memory (the bytes must outlive g). 0, or -1 with err
 * (code 2, naming the byte offset) when the file is malformed. */
int eco_gguf_parse(const void *bytes, size_t size, struct eco_gguf *g, struct eco_err *err);
/* mmap path read-only and parse it. Code 1 for I/O errors, 2 for bad files. */
int eco_gguf_open(const char *path, struct eco_gguf *g, struct eco_err *err);
void eco_gguf_close(struct eco_gguf *g);

const struct eco_gguf_kv *eco_gguf_find(const struct eco_gguf *g, const char *key);
/* Integer value of key (any integer type, non-negative); 0 if found, -1 if
 * absent or not a non-negative integer. */
int eco_gguf_get_u64(const struct eco_gguf *g, const char *key, uint64_t *out);
/* String value as a C string copied into buf (truncated); 0 or -1. */
int eco_gguf_get_str(const struct eco_gguf *g, const char *key, char *buf, size_t len);
/* Copy a file string into buf as printable, valid UTF-8 (control bytes and
 * invalid sequences become '?', so a hostile name cannot drive a terminal or
 * break JSON), truncated with "..." to fit; returns buf. */
char *eco_gguf_str_print(const struct eco_gguf_str *s, char *buf, size_t len);
/* Human name of a metadata type ("uint32", "array"...). */
const char *eco_gguf_vtype_name(uint32_t type);
/* Element at index i of an array of fixed-size numbers or strings (not
 * arrays: those are walked, not indexed). 0, or -1 if out of range. */
int eco_gguf_array_get(const struct eco_gguf *g, const struct eco_gguf_value *arr, uint64_t i,
                       struct eco_gguf_value *out);

#endif
