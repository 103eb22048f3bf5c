/* The bottom-row status line (see live_line.h). Escape sequences (ECMA-48 /
 * VT100, what xterm, the Linux console, tmux and screen all implement):
 *   ESC 7 / ESC 8      save / restore the cursor
 *   CSI t ; b r        scrolling region rows t..b (DECSTBM); CSI r resets it
 *   CSI r ; c H        cursor to row r, column c
 *   CSI K              clear to the end of the line
 *   CSI A              cursor up one row
 * Each update goes out in one write(2), so it is not split by the command's
 * output between two pieces of it. */
#include "cli/live_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int reserved_rows; /* the terminal height the region was set for; 0: none */
static int plain_drawn;   /* a line drawn the plain way (terminal of unknown size) */

static int term_size(int fd, int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row < 3 || ws.ws_col < 10)
        return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

int eco_live_line_usable(int fd)
{
    const char *term = getenv("TERM");
    return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

static void put(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w <= 0)
            return; /* a terminal gone away: the status is not worth an error */
        buf += w;
        len -= (size_t)w;
    }
}

void eco_live_line_draw(int fd, const char *text)
{
    int rows, cols;
    char buf[1024];
    if (term_size(fd, &rows, &cols) != 0) {
        /* A terminal that does not tell its size (a serial line, a pty
         * nobody sized): no row can be reserved, so the line is redrawn in
         * place as progress bars do, within 79 columns. */
        int n = snprintf(buf, sizeof buf, "\r\033[K%.79s", text);
        put(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
        plain_drawn = 1;
        return;
    }
    int n = 0;
    if (!reserved_rows) /* make room: a new line, then back up into the region */
        n = snprintf(buf, sizeof buf, "\n\0337\033[1;%dr\0338\033[1A", rows - 1);
    else if (reserved_rows != rows) /* resized: the region follows the new height */
        n = snprintf(buf, sizeof buf, "\0337\033[1;%dr\0338", rows - 1);
    reserved_rows = rows;
    /* One column short of the width: writing the last column would wrap on
     * some terminals and scroll the whole screen. */
    int width = cols - 1 < (int)sizeof buf - 64 - n ? cols - 1 : (int)sizeof buf - 64 - n;
    n += snprintf(buf + n, sizeof buf - (size_t)n, "\0337\033[%d;1H\033[K%.*s\0338", rows, width, text);
    put(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void eco_live_line_end(int fd)
{
    if (plain_drawn)
        put(fd, "\r\033[K", 4);
    plain_drawn = 0;
    if (!reserved_rows)
        return;
    int rows = reserved_rows, cols;
    term_size(fd, &rows, &cols);
    char buf[64];
    int n = snprintf(buf, sizeof buf, "\0337\033[%d;1H\033[K\033[r\0338", rows);
    put(fd, buf, (size_t)n);
    reserved_rows = 0;
}
