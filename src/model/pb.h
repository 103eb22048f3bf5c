/* A bounded reader for the protobuf wire format over bytes already in memory
 * (a memory map). It never copies: a length-delimited field is returned as an
 * offset and a length into the same buffer, so a caller skips tensor payloads
 * (raw_data, float_data...) by simply not looking at them. Every length and
 * varint is checked against the end of the enclosing message, and every error
 * names the byte offset in the file. Written by hand because the protobuf
 * libraries parse a message eagerly into objects (copying weight bytes). */
#ifndef ECO_MODEL_PB_H
#define ECO_MODEL_PB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum eco_pb_wire { ECO_PB_VARINT = 0, ECO_PB_I64 = 1, ECO_PB_LEN = 2, ECO_PB_I32 = 5 };

/* A window [pos, end) over base; offsets are relative to base (the file). */
struct eco_pb {
    const uint8_t *base;
    size_t pos, end;
};

struct eco_pb_field {
    uint32_t num;   /* field number */
    int wire;       /* enum eco_pb_wire */
    uint64_t value; /* VARINT, I64 and I32 payloads */
    size_t off;     /* LEN: payload offset in base */
    size_t len;     /* LEN: payload length */
    size_t tag_off; /* where the field starts (for messages) */
};

void eco_pb_init(struct eco_pb *r, const uint8_t *base, size_t off, size_t end);
/* Read one varint at *pos (< end); at most 10 bytes, the 10th may only hold
 * the top bit. Advances *pos. */
int eco_pb_varint(const uint8_t *base, size_t *pos, size_t end, uint64_t *out, struct eco_err *err);
/* Next field of the window: 1 = got one, 0 = end of window, -1 = error.
 * Group wire types (3, 4: deprecated, unused by ONNX) are errors. */
int eco_pb_next(struct eco_pb *r, struct eco_pb_field *f, struct eco_err *err);
/* A window over a LEN field's payload. */
void eco_pb_sub(const struct eco_pb *r, const struct eco_pb_field *f, struct eco_pb *sub);

/* Repeated scalar fields come packed (one LEN field) or one by one. These
 * count / read the integers of a field in either encoding. For a packed LEN
 * field, count then read; for a single VARINT/I32/I64 field, one value. */
int eco_pb_count_packed(const struct eco_pb_field *f, const uint8_t *base, int elem_wire, size_t *n,
                        struct eco_err *err);
/* Read the values of a field (packed or single) into out (capacity n,
 * from eco_pb_count_packed). int64 fields are varints, floats are fixed32. */
int eco_pb_read_packed_i64(const struct eco_pb_field *f, const uint8_t *base, int64_t *out, size_t n,
                           struct eco_err *err);
int eco_pb_read_packed_f32(const struct eco_pb_field *f, const uint8_t *base, float *out, size_t n,
                           struct eco_err *err);

/* Little-endian helpers (the wire format is little-endian on every host). */
uint32_t eco_pb_le32(const uint8_t *p);
uint64_t eco_pb_le64(const uint8_t *p);
float eco_pb_f32(uint32_t bits);
double eco_pb_f64(uint64_t bits);

#endif
