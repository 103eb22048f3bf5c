/* Harness: the marker socket protocol (src/meter/markers.c), what any
 * process holding ECOMETER_SOCKET can send to `ecometer run`. Invariants:
 * an accepted datagram has a valid kind, a name that fits and is valid by
 * the protocol's own rules (formatting it again gives an equivalent
 * datagram), and counts in range. */
#include "meter/markers.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eco_marker m;
    /* The socket reader passes the bytes as received: not NUL-terminated. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    int rc = eco_marker_parse((const char *)copy, size, &m);
    free(copy);
    if (rc != 0)
        return 0;
    FUZZ_ASSERT(size <= ECO_MARKER_MAX_DATAGRAM);
    char again[ECO_MARKER_MAX_DATAGRAM + 1];
    int n;
    struct eco_marker m2;
    switch (m.kind) {
    case ECO_MARK_BEGIN:
    case ECO_MARK_END:
    case ECO_MARK_FIGURES:
        FUZZ_ASSERT(strlen(m.name) >= 1 && strlen(m.name) <= ECO_MARKER_MAX_NAME);
        n = eco_marker_format(m.kind, m.name, 0, again, sizeof again);
        FUZZ_ASSERT(n > 0);
        FUZZ_ASSERT(eco_marker_parse(again, (size_t)n, &m2) == 0);
        FUZZ_ASSERT(m2.kind == m.kind && strcmp(m2.name, m.name) == 0);
        break;
    case ECO_MARK_ITEMS:
        FUZZ_ASSERT(m.count >= 0 && m.count <= ECO_MARKER_MAX_ITEMS);
        n = eco_marker_format(m.kind, NULL, m.count, again, sizeof again);
        FUZZ_ASSERT(n > 0 && eco_marker_parse(again, (size_t)n, &m2) == 0 && m2.count == m.count);
        break;
    case ECO_MARK_EPOCH:
        FUZZ_ASSERT(m.count >= 0 && m.count <= 1000000000LL && strncmp(m.name, "epoch-", 6) == 0);
        break;
    default:
        FUZZ_ASSERT(!"unknown marker kind");
    }
    return 0;
}
