/* The marker datagram protocol (src/meter/markers.h). */
#include "meter/markers.h"
#include "test.h"

static int P(const char *s, struct eco_marker *m) { return eco_marker_parse(s, strlen(s), m); }

ECO_TEST(markers_parse_valid_commands)
{
    struct eco_marker m;
    CHECK(P("begin epoch-1", &m) == 0);
    CHECK_INT(m.kind, ECO_MARK_BEGIN);
    CHECK_STR(m.name, "epoch-1");
    CHECK(P("end epoch-1\n", &m) == 0);
    CHECK_INT(m.kind, ECO_MARK_END);
    CHECK_STR(m.name, "epoch-1");
    CHECK(P("begin warm up", &m) == 0); /* inner spaces kept */
    CHECK_STR(m.name, "warm up");
    CHECK(P("begin \xc3\xa9poque", &m) == 0); /* UTF-8 */
    CHECK_STR(m.name, "\xc3\xa9poque");
    CHECK(P("items 5460", &m) == 0);
    CHECK_INT(m.kind, ECO_MARK_ITEMS);
    CHECK_INT(m.count, 5460);
    CHECK(P("items 0", &m) == 0);
    CHECK(P("items 1000000000000000", &m) == 0);
    CHECK(P("epoch 3", &m) == 0);
    CHECK_INT(m.kind, ECO_MARK_EPOCH);
    CHECK_INT(m.count, 3);
    CHECK_STR(m.name, "epoch-3");
    CHECK(P("figures  epoch 1 ", &m) == 0); /* a request for a region's figures, same name rules */
    CHECK_INT(m.kind, ECO_MARK_FIGURES);
    CHECK_STR(m.name, "epoch 1");
    CHECK(P("figures ", &m) == -1);
    char buf[ECO_MARKER_MAX_DATAGRAM];
    CHECK(eco_marker_format(ECO_MARK_FIGURES, "w", 0, buf, sizeof buf) == 9 && strcmp(buf, "figures w") == 0);
}

ECO_TEST(markers_reject_malformed)
{
    struct eco_marker m;
    const char *bad[] = {"", "begin", "begin ", "begin   ", "BEGIN x", "start x", "items",
                         "items -1", "items 1e3", "items 12x", "items 1000000000000001", "items 99999999999999999",
                         "epoch x", "epoch 1000000001", "begin a\tb", "begin a\x7f", "begin \xff", "begin \xc3",
                         "begin \xc0\xaf", "begin \xed\xa0\x80", "end\n", "begin x\n\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (P(bad[i], &m) == 0)
            eco_test_fail(__FILE__, __LINE__, "accepted malformed datagram #%zu", i);
    char nul[] = "begin a\0b";
    CHECK(eco_marker_parse(nul, 9, &m) == -1);
    char longname[80];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "begin ", 6);
    CHECK(eco_marker_parse(longname, 6 + 63, &m) == 0);
    CHECK_INT(strlen(m.name), 63);
    CHECK(eco_marker_parse(longname, 6 + 70, &m) == 0); /* cut to 63 */
    CHECK_INT(strlen(m.name), 63);
    /* a cut never splits a character: 'é' (2 bytes) straddling byte 63 */
    char utf[80] = "begin ";
    memset(utf + 6, 'a', 62);
    memcpy(utf + 68, "\xc3\xa9zz", 4);
    CHECK(eco_marker_parse(utf, 72, &m) == 0);
    CHECK_INT(strlen(m.name), 62);
    /* surrounding spaces are not part of the name */
    CHECK(eco_marker_parse("begin  x ", 9, &m) == 0);
    CHECK_STR(m.name, "x");
    char big[300];
    memset(big, 'a', sizeof big);
    memcpy(big, "items ", 6);
    CHECK(eco_marker_parse(big, sizeof big, &m) == -1);
    CHECK(eco_marker_parse(NULL, 3, &m) == -1);
}

ECO_TEST(markers_format_round_trip)
{
    char buf[ECO_MARKER_MAX_DATAGRAM];
    struct eco_marker m;
    int n = eco_marker_format(ECO_MARK_BEGIN, "epoch-2", 0, buf, sizeof buf);
    CHECK(n > 0);
    CHECK(eco_marker_parse(buf, (size_t)n, &m) == 0);
    CHECK_STR(m.name, "epoch-2");
    n = eco_marker_format(ECO_MARK_ITEMS, NULL, 42, buf, sizeof buf);
    CHECK(eco_marker_parse(buf, (size_t)n, &m) == 0);
    CHECK_INT(m.count, 42);
    CHECK(eco_marker_format(ECO_MARK_END, "bad\nname", 0, buf, sizeof buf) == -1);
    CHECK(eco_marker_format(ECO_MARK_ITEMS, NULL, -3, buf, sizeof buf) == -1);
    CHECK(eco_marker_format(ECO_MARK_BEGIN, "x", 0, buf, 4) == -1);
}
