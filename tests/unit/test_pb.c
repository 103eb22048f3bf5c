/* The bounded protobuf reader: varint edges, truncation, lengths past the end. */
#include <stdint.h>
#include <string.h>

#include "model/pb.h"
#include "test.h"

static int varint(const uint8_t *b, size_t n, uint64_t *v, struct eco_err *e)
{
    size_t pos = 0;
    return eco_pb_varint(b, &pos, n, v, e);
}

ECO_TEST(pb_varint_edges)
{
    struct eco_err e;
    uint64_t v;
    CHECK(varint((const uint8_t[]){0x00}, 1, &v, &e) == 0 && v == 0);
    CHECK(varint((const uint8_t[]){0x7f}, 1, &v, &e) == 0 && v == 127);
    CHECK(varint((const uint8_t[]){0xac, 0x02}, 2, &v, &e) == 0 && v == 300);
    const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    CHECK(varint(max, 10, &v, &e) == 0 && v == UINT64_MAX);
    /* the 10th byte may only carry bit 63 */
    const uint8_t over[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    eco_err_clear(&e);
    CHECK(varint(over, 10, &v, &e) != 0);
    CHECK(strstr(e.msg, "overflows") != NULL);
    const uint8_t eleven[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x01};
    CHECK(varint(eleven, 11, &v, &e) != 0);
    eco_err_clear(&e);
    CHECK(varint((const uint8_t[]){0x80, 0x80}, 2, &v, &e) != 0);
    CHECK(strstr(e.msg, "truncated varint at byte offset 0") != NULL);
}

ECO_TEST(pb_fields_and_lengths)
{
    /* field 1 varint 150, field 2 "ab", field 5 fixed32, field 6 fixed64 */
    const uint8_t msg[] = {0x08, 0x96, 0x01, 0x12, 0x02, 'a', 'b', 0x2d, 1, 0, 0, 0,
                           0x31, 2, 0, 0, 0, 0, 0, 0, 0};
    struct eco_pb r;
    struct eco_pb_field f;
    struct eco_err e;
    eco_pb_init(&r, msg, 0, sizeof msg);
    CHECK(eco_pb_next(&r, &f, &e) == 1 && f.num == 1 && f.value == 150);
    CHECK(eco_pb_next(&r, &f, &e) == 1 && f.num == 2 && f.wire == ECO_PB_LEN && f.off == 5 && f.len == 2);
    CHECK(eco_pb_next(&r, &f, &e) == 1 && f.num == 5 && f.value == 1);
    CHECK(eco_pb_next(&r, &f, &e) == 1 && f.num == 6 && f.value == 2);
    CHECK(eco_pb_next(&r, &f, &e) == 0);
}

ECO_TEST(pb_length_past_end_names_offset)
{
    const uint8_t msg[] = {0x08, 0x01, 0x12, 0x05, 'a', 'b'};
    struct eco_pb r;
    struct eco_pb_field f;
    struct eco_err e;
    eco_err_clear(&e);
    eco_pb_init(&r, msg, 0, sizeof msg);
    CHECK(eco_pb_next(&r, &f, &e) == 1);
    CHECK(eco_pb_next(&r, &f, &e) == -1);
    CHECK(strstr(e.msg, "byte offset 2") != NULL);
    CHECK(e.code == ECO_EXIT_USAGE);
}

ECO_TEST(pb_rejects_groups_field_zero_and_truncated_fixed)
{
    struct eco_pb r;
    struct eco_pb_field f;
    struct eco_err e;
    const uint8_t group[] = {0x0b, 0x0c};
    eco_pb_init(&r, group, 0, sizeof group);
    CHECK(eco_pb_next(&r, &f, &e) == -1);
    const uint8_t zero[] = {0x00, 0x01};
    eco_pb_init(&r, zero, 0, sizeof zero);
    CHECK(eco_pb_next(&r, &f, &e) == -1);
    const uint8_t fixed[] = {0x0d, 1, 2};
    eco_pb_init(&r, fixed, 0, sizeof fixed);
    CHECK(eco_pb_next(&r, &f, &e) == -1);
    CHECK(strstr(e.msg, "truncated 32-bit") != NULL);
}

ECO_TEST(pb_packed_varints)
{
    const uint8_t msg[] = {0x0a, 0x04, 0x01, 0xac, 0x02, 0x7f};
    struct eco_pb r;
    struct eco_pb_field f;
    struct eco_err e;
    eco_pb_init(&r, msg, 0, sizeof msg);
    CHECK(eco_pb_next(&r, &f, &e) == 1);
    size_t n;
    CHECK(eco_pb_count_packed(&f, msg, ECO_PB_VARINT, &n, &e) == 0 && n == 3);
    int64_t v[3];
    CHECK(eco_pb_read_packed_i64(&f, msg, v, n, &e) == 0);
    CHECK(v[0] == 1 && v[1] == 300 && v[2] == 127);
    /* a packed run ending inside a varint */
    const uint8_t bad[] = {0x0a, 0x02, 0x01, 0x80};
    eco_pb_init(&r, bad, 0, sizeof bad);
    CHECK(eco_pb_next(&r, &f, &e) == 1);
    CHECK(eco_pb_count_packed(&f, bad, ECO_PB_VARINT, &n, &e) != 0);
}
