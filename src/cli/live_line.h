/* The live status line of `ecometer run` on a terminal, kept on its own row:
 * the bottom row of the terminal is taken out of the scrolling region (as
 * apt's progress bar does), so the command's own output scrolls above it and
 * never runs into it; each redraw clears that row to its end. Used only when
 * stderr is a terminal (and not --quiet): elsewhere nothing is written. */
#ifndef ECO_CLI_LIVE_LINE_H
#define ECO_CLI_LIVE_LINE_H

/* Whether a live line can be drawn on fd: a terminal whose TERM is not
 * "dumb". One that does not give its size (at least 3 rows, 10 columns) gets
 * the line redrawn in place ("\r" + clear to the end of the line) instead of
 * a reserved row. */
int eco_live_line_usable(int fd);
/* Draw (or redraw) text on the reserved bottom row of fd, truncated to the
 * terminal's width; the first call reserves the row. The cursor is left
 * where the command's output was. */
void eco_live_line_draw(int fd, const char *text);
/* Clear the row and give it back to the scrolling region; no-op when
 * nothing was drawn. */
void eco_live_line_end(int fd);

#endif
