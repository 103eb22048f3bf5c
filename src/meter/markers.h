/* The marker protocol: how any process tells the meter where its regions
 * start and end and how many items it processed, without linking anything.
 *
 * Transport: `ecometer run` binds a unix SOCK_DGRAM socket in a private
 * directory (mode 0700) and puts its path in the child's environment as
 * ECOMETER_SOCKET. One datagram = one command, UTF-8 text, at most
 * ECO_MARKER_MAX_DATAGRAM bytes, one optional trailing newline:
 *
 *   begin NAME     open region NAME (nesting allowed; same name twice nests)
 *   end NAME       close the innermost open region called NAME
 *   items COUNT    add COUNT (decimal integer, 0..10^15) to the innermost
 *                  open region and to the run
 *   epoch N        shorthand: end the region "epoch-M" opened by the previous
 *                  `epoch` command (if still open), then begin "epoch-N"
 *                  (N: decimal integer 0..10^9)
 *   figures NAME   a request, not a marker: the run replies to the sender's
 *                  address (the client binds its socket, e.g. autobind)
 *                  with the figures of the newest closed region NAME, or
 *                  "pending NAME" (its end waits for the next sample: ask
 *                  again) or "unknown NAME". One reply datagram of at most
 *                  ECO_FIGURES_MAX_REPLY bytes, sent without waiting (a
 *                  client that does not read loses it); the reply format is
 *                  in docs/METHODOLOGY.md and src/meter/region_figures.h.
 *
 * NAME: valid UTF-8 without control characters; spaces inside are kept,
 * leading/trailing spaces are not part of it; longer than 63 bytes it is cut
 * to 63 at a character boundary (a begin and an end of the same name are cut
 * alike). Commands are lower-case, followed by one space. Anything else
 * (unknown command, empty name, bad count, oversize datagram, invalid UTF-8)
 * is counted as malformed and ignored. Markers are timestamped when the meter
 * receives them. The same text is in docs/METHODOLOGY.md. */
#ifndef ECO_METER_MARKERS_H
#define ECO_METER_MARKERS_H

#include <stddef.h>

#define ECO_MARKER_MAX_DATAGRAM 256
#define ECO_MARKER_MAX_NAME 63
#define ECO_MARKER_MAX_ITEMS 1000000000000000LL

enum eco_marker_kind { ECO_MARK_BEGIN, ECO_MARK_END, ECO_MARK_ITEMS, ECO_MARK_EPOCH, ECO_MARK_FIGURES };

struct eco_marker {
    enum eco_marker_kind kind;
    char name[ECO_MARKER_MAX_NAME + 1]; /* begin/end/figures */
    long long count;                    /* items count, or epoch number */
};

/* Parse one datagram of len bytes (not NUL-terminated). 0 or -1 if malformed. */
int eco_marker_parse(const char *buf, size_t len, struct eco_marker *out);
/* Format a marker into a datagram (for the C API's client side); returns its
 * length, or -1 if the name is not valid. */
int eco_marker_format(enum eco_marker_kind kind, const char *name, long long count, char *buf, size_t len);

#endif
