#include "render/tui.h"

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/duration.h"
#include "core/units.h"

struct eco_tui {
    int plain;
    FILE *out;
    SCREEN *screen;
    int colors;
};

/* ---- layout ------------------------------------------------------------ */

static void bar(char *buf, size_t width, double frac)
{
    if (!(frac > 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    size_t fill = (size_t)lround(frac * (double)width);
    for (size_t i = 0; i < width; i++)
        buf[i] = i < fill ? '#' : '.';
    buf[width] = 0;
}

void eco_top_render(const struct eco_top_frame *f, int width, int height,
                    void (*emit)(void *ctx, int row, const char *text, int style), void *ctx)
{
    char line[1024], a[48], b[48], c[48], d[48];
    int row = 0;
    if (width > (int)sizeof line - 1)
        width = (int)sizeof line - 1;
#define EMIT(style)                                                                                \
    do {                                                                                           \
        if (row < height) {                                                                        \
            line[width > 0 ? width : 0] = 0;                                                       \
            emit(ctx, row, line, style);                                                           \
        }                                                                                          \
        row++;                                                                                     \
    } while (0)

    snprintf(line, sizeof line, "ecometer top   %s since start, sampling every %s   q: quit",
             eco_format_duration(f->elapsed_s, a, sizeof a), eco_format_duration(f->interval_s, b, sizeof b));
    EMIT(1);
    snprintf(line, sizeof line, "power now %s%s   energy since start %s   CO2e %s",
             eco_fmt_power(f->power_w, a, sizeof a), f->any_estimated ? " (part estimated)" : "",
             eco_fmt_energy(f->energy_j, b, sizeof b), eco_fmt_mass(f->co2e_g, c, sizeof c));
    EMIT(0);
    /* At the current power: energy and CO2e per hour. */
    snprintf(line, sizeof line, "rate per hour %s/h, %s CO2e/h at %.0f g/kWh (%s)%s",
             eco_fmt_energy(f->energy_per_hour_j, a, sizeof a),
             eco_fmt_mass(f->co2e_per_hour_g, d, sizeof d), f->g_per_kwh, f->place,
             f->place_is_default ? " - no --region given" : "");
    EMIT(0);
    if (f->note[0]) {
        snprintf(line, sizeof line, "note: %s", f->note);
        EMIT(0);
    }
    line[0] = 0;
    EMIT(0);

    int bar_w = width - 16 - 13 - 11 - 12 - 10 - 6 - 16;
    if (bar_w > 50)
        bar_w = 50;
    if (bar_w < 5)
        bar_w = 5;
    snprintf(line, sizeof line, "%-16s %-12s %10s  %-*s %-15s %11s  %s", "DOMAIN", "KIND", "POWER", bar_w,
             "", "OF (bar scale)", "ENERGY", "METHOD");
    EMIT(1);
    for (size_t i = 0; i < f->n_domains; i++) {
        const struct eco_top_domain *dm = &f->domains[i];
        char bb[64], range[32];
        /* each bar against its own fixed range, so a bar's length means the
         * same from one refresh to the next */
        bar(bb, (size_t)bar_w, dm->range_w > 0 ? dm->watts / dm->range_w : 0);
        snprintf(range, sizeof range, "%s %s", eco_fmt_power(dm->range_w, c, sizeof c),
                 dm->range_is_limit ? "limit" : "max seen");
        char name[80];
        snprintf(name, sizeof name, "%s%s", dm->top_level ? "" : " ", dm->name);
        snprintf(line, sizeof line, "%-16.16s %-12.12s %10s  %s %-15.15s %11s  %s", name, dm->kind,
                 eco_fmt_power(dm->watts, a, sizeof a), bb, range, eco_fmt_energy(dm->energy_j, b, sizeof b),
                 dm->estimated ? "estimated" : "measured");
        EMIT(dm->estimated ? 3 : 2);
    }
    line[0] = 0;
    EMIT(0);
    snprintf(line, sizeof line, "%-8s %7s %10s  %s", "PID", "CPU%", "POWER", "COMMAND (top processes by attributed power)");
    EMIT(1);
    if (f->n_procs == 0) {
        snprintf(line, sizeof line, "(measuring CPU shares: the first figures come after one refresh)");
        EMIT(0);
    }
    for (size_t i = 0; i < f->n_procs; i++) {
        const struct eco_top_proc *p = &f->procs[i];
        snprintf(line, sizeof line, "%-8d %6.1f%% %10s  %s", (int)p->pid, p->cpu_pct,
                 eco_fmt_power(p->watts, a, sizeof a), p->comm);
        EMIT(0);
    }
    snprintf(line, sizeof line, "process power = CPU-side power (all but GPUs) x its share of busy CPU time");
    EMIT(0);
    if (f->n_gpus > 0) {
        line[0] = 0;
        EMIT(0);
        snprintf(line, sizeof line, "%-8s %-10s %5s %10s  %s", "PID", "GPU", "SM%", "GPU POWER",
                 "COMMAND (attribution estimate, not measured)");
        EMIT(1);
        if (f->gpu_note[0]) {
            snprintf(line, sizeof line, "%s", f->gpu_note);
            EMIT(0);
        }
        for (size_t i = 0; i < f->n_gpu_procs; i++) {
            const struct eco_top_gpu_proc *p = &f->gpu_procs[i];
            snprintf(line, sizeof line, "%-8d %-10.10s %4d%% %10s  %s", (int)p->pid, p->gpu, p->sm_pct,
                     eco_fmt_power(p->watts, a, sizeof a), p->comm);
            EMIT(0);
        }
        snprintf(line, sizeof line, "process GPU power = GPU power x its share of the GPU's SM use "
                                    "(nvmlDeviceGetProcessUtilization): an estimate");
        EMIT(0);
    }
#undef EMIT
}

void eco_top_plain_line(const struct eco_top_frame *f, FILE *out)
{
    char a[48], b[48], c[48];
    fprintf(out, "%.1f s  power %s  energy %s  CO2e %s", f->elapsed_s, eco_fmt_power(f->power_w, a, sizeof a),
            eco_fmt_energy(f->energy_j, b, sizeof b), eco_fmt_mass(f->co2e_g, c, sizeof c));
    for (size_t i = 0; i < f->n_domains; i++)
        fprintf(out, "  %s %s%s", f->domains[i].name, eco_fmt_power(f->domains[i].watts, a, sizeof a),
                f->domains[i].estimated ? " (est.)" : "");
    if (f->n_procs > 0)
        fprintf(out, "  top: %s[%d] %s", f->procs[0].comm, (int)f->procs[0].pid,
                eco_fmt_power(f->procs[0].watts, a, sizeof a));
    fputc('\n', out);
    fflush(out);
}

/* ---- curses ------------------------------------------------------------- */

struct eco_tui *eco_tui_open(int plain, FILE *out)
{
    struct eco_tui *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->plain = plain;
    t->out = out;
    if (plain)
        return t;
    setlocale(LC_ALL, "");
    /* newterm rather than initscr: a terminal curses cannot drive gives NULL
     * here (and plain lines) instead of exiting the process. */
    t->screen = newterm(NULL, out, stdin);
    if (!t->screen) {
        free(t);
        return NULL;
    }
    set_term(t->screen);
    cbreak();
    noecho();
    curs_set(0);
    keypad(stdscr, TRUE);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_GREEN, -1);
        init_pair(2, COLOR_YELLOW, -1);
        t->colors = 1;
    }
    return t;
}

static void emit_curses(void *ctx, int row, const char *text, int style)
{
    struct eco_tui *t = ctx;
    attr_t at = A_NORMAL;
    short pair = 0;
    if (style == 1)
        at = A_BOLD;
    else if (style == 2 && t->colors)
        pair = 1;
    else if (style == 3 && t->colors)
        pair = 2;
    attrset(at | COLOR_PAIR(pair));
    mvaddnstr(row, 0, text, COLS);
    attrset(A_NORMAL);
}

void eco_tui_draw(struct eco_tui *t, const struct eco_top_frame *f)
{
    if (t->plain) {
        eco_top_plain_line(f, t->out);
        return;
    }
    erase();
    eco_top_render(f, COLS, LINES, emit_curses, t);
    refresh();
}

int eco_tui_wait(struct eco_tui *t, int ms)
{
    if (t->plain) {
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            return 0; /* a signal: let the caller look at its flags */
        return 0;
    }
    timeout(ms);
    int ch = getch();
    return ch == 'q' || ch == 'Q';
}

void eco_tui_close(struct eco_tui *t)
{
    if (!t)
        return;
    if (t->screen) {
        endwin();
        delscreen(t->screen);
    }
    free(t);
}
