/* The screen of `ecometer top`: full-screen curses (ncursesw) when standard
 * output is a terminal, one plain line per refresh otherwise. It only draws
 * what it is given (a frame); the figures come from meter/top_frame.c. */
#ifndef ECO_RENDER_TUI_H
#define ECO_RENDER_TUI_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "meter/top_frame.h"

/* Lay the frame out in rows of at most width columns (height rows at most):
 * emit(ctx, row, text, style) with style 0 text, 1 heading, 2 measured bar,
 * 3 estimated bar. Shared by the curses screen and the tests. */
void eco_top_render(const struct eco_top_frame *f, int width, int height,
                    void (*emit)(void *ctx, int row, const char *text, int style), void *ctx);
/* One line for plain output ("12.0 s  123 W  ...  package-0 45.2 W ..."). */
void eco_top_plain_line(const struct eco_top_frame *f, FILE *out);

struct eco_tui;
/* plain: no curses, lines on out. NULL if curses cannot start (then use plain). */
struct eco_tui *eco_tui_open(int plain, FILE *out);
void eco_tui_draw(struct eco_tui *t, const struct eco_top_frame *f);
/* Wait up to ms for a key; 1 when the user pressed q (or Q). */
int eco_tui_wait(struct eco_tui *t, int ms);
void eco_tui_close(struct eco_tui *t);

#endif
