/* Protobuf wire format, bounded: see pb.h. */
#include "model/pb.h"

#include <string.h>

void eco_pb_init(struct eco_pb *r, const uint8_t *base, size_t off, size_t end)
{
    r->base = base;
    r->pos = off;
    r->end = end;
}

int eco_pb_varint(const uint8_t *base, size_t *pos, size_t end, uint64_t *out, struct eco_err *err)
{
    size_t start = *pos, p = *pos;
    uint64_t v = 0;
    for (int i = 0; i < 10; i++) {
        if (p >= end)
            return eco_err_set(err, ECO_EXIT_USAGE, "truncated varint at byte offset %zu", start);
        uint8_t b = base[p++];
        if (i == 9 && b > 1)
            return eco_err_set(err, ECO_EXIT_USAGE,
                               "varint overflows 64 bits at byte offset %zu", start);
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *pos = p;
            *out = v;
            return 0;
        }
    }
    return eco_err_set(err, ECO_EXIT_USAGE, "varint longer than 10 bytes at byte offset %zu", start);
}

int eco_pb_next(struct eco_pb *r, struct eco_pb_field *f, struct eco_err *err)
{
    if (r->pos >= r->end)
        return 0;
    memset(f, 0, sizeof *f);
    f->tag_off = r->pos;
    uint64_t tag;
    if (eco_pb_varint(r->base, &r->pos, r->end, &tag, err) != 0)
        return -1;
    uint64_t num = tag >> 3;
    f->wire = (int)(tag & 7);
    if (num == 0 || num > 536870911u)
        return eco_err_set(err, ECO_EXIT_USAGE, "invalid protobuf field number %llu at byte offset %zu",
                           (unsigned long long)num, f->tag_off);
    f->num = (uint32_t)num;
    switch (f->wire) {
    case ECO_PB_VARINT:
        return eco_pb_varint(r->base, &r->pos, r->end, &f->value, err) == 0 ? 1 : -1;
    case ECO_PB_I64:
        if (r->end - r->pos < 8)
            return eco_err_set(err, ECO_EXIT_USAGE, "truncated 64-bit field %u at byte offset %zu",
                               f->num, f->tag_off);
        f->value = eco_pb_le64(r->base + r->pos);
        r->pos += 8;
        return 1;
    case ECO_PB_I32:
        if (r->end - r->pos < 4)
            return eco_err_set(err, ECO_EXIT_USAGE, "truncated 32-bit field %u at byte offset %zu",
                               f->num, f->tag_off);
        f->value = eco_pb_le32(r->base + r->pos);
        r->pos += 4;
        return 1;
    case ECO_PB_LEN: {
        uint64_t len;
        if (eco_pb_varint(r->base, &r->pos, r->end, &len, err) != 0)
            return -1;
        if (len > r->end - r->pos)
            return eco_err_set(err, ECO_EXIT_USAGE,
                               "field %u at byte offset %zu claims %llu bytes but only %zu remain "
                               "in its message",
                               f->num, f->tag_off, (unsigned long long)len, r->end - r->pos);
        f->off = r->pos;
        f->len = (size_t)len;
        r->pos += (size_t)len;
        return 1;
    }
    default:
        return eco_err_set(err, ECO_EXIT_USAGE,
                           "unsupported protobuf wire type %d (field %u) at byte offset %zu", f->wire,
                           f->num, f->tag_off);
    }
}

void eco_pb_sub(const struct eco_pb *r, const struct eco_pb_field *f, struct eco_pb *sub)
{
    eco_pb_init(sub, r->base, f->off, f->off + f->len);
}

int eco_pb_count_packed(const struct eco_pb_field *f, const uint8_t *base, int elem_wire, size_t *n,
                        struct eco_err *err)
{
    if (f->wire != ECO_PB_LEN) {
        if (f->wire != elem_wire)
            return eco_err_set(err, ECO_EXIT_USAGE, "field %u at byte offset %zu has wire type %d, "
                               "expected %d", f->num, f->tag_off, f->wire, elem_wire);
        *n = 1;
        return 0;
    }
    if (elem_wire == ECO_PB_I32 || elem_wire == ECO_PB_I64) {
        size_t w = elem_wire == ECO_PB_I32 ? 4 : 8;
        if (f->len % w)
            return eco_err_set(err, ECO_EXIT_USAGE,
                               "packed field %u at byte offset %zu: %zu bytes is not a multiple of %zu",
                               f->num, f->tag_off, f->len, w);
        *n = f->len / w;
        return 0;
    }
    size_t count = 0;
    for (size_t i = f->off; i < f->off + f->len; i++)
        if (!(base[i] & 0x80))
            count++;
    if (f->len && (base[f->off + f->len - 1] & 0x80))
        return eco_err_set(err, ECO_EXIT_USAGE, "truncated varint in packed field %u at byte offset %zu",
                           f->num, f->tag_off);
    *n = count;
    return 0;
}

int eco_pb_read_packed_i64(const struct eco_pb_field *f, const uint8_t *base, int64_t *out, size_t n,
                           struct eco_err *err)
{
    if (f->wire != ECO_PB_LEN) {
        if (n >= 1)
            out[0] = (int64_t)f->value;
        return 0;
    }
    size_t pos = f->off, end = f->off + f->len;
    for (size_t i = 0; i < n && pos < end; i++) {
        uint64_t v;
        if (eco_pb_varint(base, &pos, end, &v, err) != 0)
            return -1;
        out[i] = (int64_t)v;
    }
    return 0;
}

int eco_pb_read_packed_f32(const struct eco_pb_field *f, const uint8_t *base, float *out, size_t n,
                           struct eco_err *err)
{
    (void)err;
    if (f->wire != ECO_PB_LEN) {
        if (n >= 1)
            out[0] = eco_pb_f32((uint32_t)f->value);
        return 0;
    }
    for (size_t i = 0; i < n && 4 * i + 4 <= f->len; i++)
        out[i] = eco_pb_f32(eco_pb_le32(base + f->off + 4 * i));
    return 0;
}

uint32_t eco_pb_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t eco_pb_le64(const uint8_t *p)
{
    return (uint64_t)eco_pb_le32(p) | (uint64_t)eco_pb_le32(p + 4) << 32;
}

float eco_pb_f32(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

double eco_pb_f64(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}
