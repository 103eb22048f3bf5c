/* Parsing and formatting marker datagrams (protocol in markers.h). Every
 * datagram comes from another process: parsed with explicit bounds. */
#include "meter/markers.h"

#include <stdio.h>
#include <string.h>

/* Valid UTF-8 (no overlongs, no surrogates) and no control characters. */
static int valid_utf8_text(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* NAME as sent: surrounding spaces are not part of it; a name longer than
 * ECO_MARKER_MAX_NAME bytes is cut at a character boundary (begin and end of
 * the same long name are cut alike, so they still match). 0 or -1. */
static int take_name(const char *arg, size_t n, char *out)
{
    while (n > 0 && arg[0] == ' ')
        arg++, n--;
    while (n > 0 && arg[n - 1] == ' ')
        n--;
    if (!valid_utf8_text((const unsigned char *)arg, n))
        return -1;
    if (n > ECO_MARKER_MAX_NAME) {
        n = ECO_MARKER_MAX_NAME;
        while (n > 0 && ((unsigned char)arg[n] & 0xc0) == 0x80)
            n--; /* arg[n] continues a character: cut before that character */
        while (n > 0 && arg[n - 1] == ' ')
            n--; /* the cut may end among spaces: they are not part of a name either
                  * (found by tests/fuzz/fuzz_markers.c: stored "x   " came back as "x") */
    }
    memcpy(out, arg, n);
    out[n] = '\0';
    return 0;
}

static int parse_count(const char *s, size_t n, long long max, long long *out)
{
    if (n == 0 || n > 16)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

int eco_marker_parse(const char *buf, size_t len, struct eco_marker *out)
{
    if (!buf || len == 0 || len > ECO_MARKER_MAX_DATAGRAM)
        return -1;
    if (buf[len - 1] == '\n')
        len--;
    if (memchr(buf, '\0', len))
        return -1;
    static const struct { const char *word; enum eco_marker_kind kind; } cmds[] = {
        {"begin ", ECO_MARK_BEGIN}, {"end ", ECO_MARK_END}, {"items ", ECO_MARK_ITEMS}, {"epoch ", ECO_MARK_EPOCH},
        {"figures ", ECO_MARK_FIGURES},
    };
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        size_t w = strlen(cmds[c].word);
        if (len <= w || memcmp(buf, cmds[c].word, w) != 0)
            continue;
        const char *arg = buf + w;
        size_t n = len - w;
        memset(out, 0, sizeof *out);
        out->kind = cmds[c].kind;
        switch (cmds[c].kind) {
        case ECO_MARK_BEGIN:
        case ECO_MARK_END:
        case ECO_MARK_FIGURES:
            return take_name(arg, n, out->name);
        case ECO_MARK_ITEMS:
            return parse_count(arg, n, ECO_MARKER_MAX_ITEMS, &out->count);
        case ECO_MARK_EPOCH:
            if (parse_count(arg, n, 1000000000LL, &out->count) < 0)
                return -1;
            snprintf(out->name, sizeof out->name, "epoch-%lld", out->count);
            return 0;
        }
    }
    return -1;
}

int eco_marker_format(enum eco_marker_kind kind, const char *name, long long count, char *buf, size_t len)
{
    int n;
    switch (kind) {
    case ECO_MARK_BEGIN:
    case ECO_MARK_END:
    case ECO_MARK_FIGURES: { /* braces: a declaration may not follow a label in C11 (clang refuses it) */
        char norm[ECO_MARKER_MAX_NAME + 1];
        if (!name || take_name(name, strlen(name), norm) < 0)
            return -1;
        name = norm;
        n = snprintf(buf, len, "%s %s",
                     kind == ECO_MARK_BEGIN ? "begin" : kind == ECO_MARK_END ? "end" : "figures", name);
        break;
    }
    case ECO_MARK_ITEMS:
        if (count < 0 || count > ECO_MARKER_MAX_ITEMS)
            return -1;
        n = snprintf(buf, len, "items %lld", count);
        break;
    case ECO_MARK_EPOCH:
        if (count < 0 || count > 1000000000LL)
            return -1;
        n = snprintf(buf, len, "epoch %lld", count);
        break;
    default:
        return -1;
    }
    return n < 0 || (size_t)n >= len ? -1 : n;
}
