#include "render/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void eco_xml_escape(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            /* Control characters are not allowed in XML 1.0 text. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc(' ', out);
            else
                fputc(*s, out);
        }
    }
}

const char *eco_svg_color(size_t i)
{
    /* Okabe-Ito, readable by the colour-blind. */
    static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                          "#56B4E9", "#D55E00", "#F0E442", "#999999"};
    return palette[i % (sizeof palette / sizeof palette[0])];
}

/* A "nice" step (1, 2, 5 x 10^k) giving about `want` ticks over span. */
static double nice_step(double span, int want)
{
    if (!(span > 0))
        return 1;
    double raw = span / want, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static double value_at(const struct eco_svg_series *s, double t)
{
    size_t st = s->stride ? s->stride : 1;
    if (s->n == 0)
        return 0;
    if (t <= s->t[0])
        return s->watts[0];
    if (t >= s->t[(s->n - 1) * st])
        return s->watts[(s->n - 1) * st];
    size_t lo = 0, hi = s->n - 1; /* binary search: series are sorted by time */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->t[mid * st] <= t)
            lo = mid;
        else
            hi = mid;
    }
    double t0 = s->t[lo * st], t1 = s->t[hi * st];
    double w0 = s->watts[lo * st], w1 = s->watts[hi * st];
    return t1 > t0 ? w0 + (w1 - w0) * (t - t0) / (t1 - t0) : w0;
}

/* The frame of the power chart: margins, plotted area and scales. */
struct plot {
    int ml, mt, pw, ph;
    double t0, t1, xs, ys, ymax, ystep;
};

static double plot_x(const struct plot *p, double t)
{
    return p->ml + (t - p->t0) * p->xs;
}

static double plot_y(const struct plot *p, double w)
{
    return p->mt + p->ph - w * p->ys;
}

/* The series on a grid of at most 1000 times (bin averages of the first
 * series' times: thinning keeps the area), stacked: top[j * (n + 1) + l + 1]
 * is the upper edge of layer l at t[j]. The grid's size, or 0 when out of
 * memory. */
static size_t stack_series(const struct eco_svg_series *s, size_t n, double **t_out, double **top_out)
{
    size_t st0 = s[0].stride ? s[0].stride : 1;
    size_t m = s[0].n, step = m > 1000 ? (m + 999) / 1000 : 1;
    size_t k = (m + step - 1) / step;
    double *t = calloc(k, sizeof *t), *top = calloc(k * (n + 1), sizeof *top);
    if (!t || !top) {
        free(t);
        free(top);
        return 0;
    }
    for (size_t j = 0; j < k; j++) {
        size_t a = j * step, b = a + step < m ? a + step : m;
        t[j] = s[0].t[(b - 1) * st0];
        for (size_t l = 0; l < n; l++) {
            double sum = 0;
            for (size_t i = a; i < b; i++)
                sum += value_at(&s[l], s[0].t[i * st0]);
            double w = sum / (double)(b - a);
            top[j * (n + 1) + l + 1] = top[j * (n + 1) + l] + (w > 0 && isfinite(w) ? w : 0);
        }
    }
    *t_out = t;
    *top_out = top;
    return k;
}

/* Regions behind the curves, labelled at the top. */
static void draw_bands(FILE *out, const struct plot *p, const struct eco_svg_band *bands, size_t nb)
{
    for (size_t b = 0; b < nb; b++) {
        double a0 = fmax(bands[b].t0, p->t0), a1 = fmin(bands[b].t1, p->t1);
        if (a1 <= a0)
            continue;
        fprintf(out, "<rect class=\"region\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                     "fill=\"%s\" fill-opacity=\"0.10\"><title>",
                plot_x(p, a0), p->mt, (a1 - a0) * p->xs, p->ph, b % 2 ? "#444" : "#888");
        eco_xml_escape(out, bands[b].name);
        fputs("</title></rect>\n", out);
        fprintf(out, "<text class=\"region-label\" x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#444\">",
                plot_x(p, a0) + 3, p->mt + 12);
        eco_xml_escape(out, bands[b].name);
        fputs("</text>\n", out);
    }
}

static void draw_grid(FILE *out, const struct plot *p)
{
    for (double y = 0; y <= p->ymax + p->ystep / 2; y += p->ystep) {
        fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                     "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">%g W</text>\n",
                p->ml, p->ml + p->pw, plot_y(p, y), plot_y(p, y), p->ml - 6, plot_y(p, y) + 4, y);
    }
    double xstep = nice_step(p->t1 - p->t0, 8);
    for (double x = ceil(p->t0 / xstep) * xstep; x <= p->t1 + 1e-9; x += xstep)
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                     "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">%g s</text>\n",
                plot_x(p, x), plot_x(p, x), p->mt + p->ph, p->mt + p->ph + 4, plot_x(p, x), p->mt + p->ph + 17, x);
}

/* Layers: upper edge forward, lower edge back. */
static void draw_layers(FILE *out, const struct plot *p, const struct eco_svg_series *s, size_t n,
                        const double *t, const double *top, size_t k)
{
    for (size_t l = 0; l < n; l++) {
        fprintf(out, "<path class=\"layer\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"%s\" "
                     "stroke-width=\"0.8\" d=\"M%.1f %.1f",
                s[l].color, s[l].color, plot_x(p, t[0]), plot_y(p, top[l + 1]));
        for (size_t j = 1; j < k; j++)
            fprintf(out, " L%.1f %.1f", plot_x(p, t[j]), plot_y(p, top[j * (n + 1) + l + 1]));
        for (size_t j = k; j-- > 0;)
            fprintf(out, " L%.1f %.1f", plot_x(p, t[j]), plot_y(p, top[j * (n + 1) + l]));
        fputs(" Z\"><title>", out);
        eco_xml_escape(out, s[l].name);
        fputs("</title></path>\n", out);
    }
    fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", p->ml, p->ml + p->pw,
            p->mt + p->ph, p->mt + p->ph);
}

/* Legend under the axis, on two rows when one is not wide enough (about
 * 7 px a character at 12 px). */
static void draw_legend(FILE *out, const struct plot *p, const struct eco_svg_series *s, size_t n, int width,
                        int height, int mr)
{
    double lx = p->ml;
    int ly = height - 30;
    for (size_t l = 0; l < n; l++) {
        double w = 16 + 7 * (double)strlen(s[l].name ? s[l].name : "") + 18;
        if (lx > p->ml && lx + w > width - mr && ly < height - 20) {
            lx = p->ml;
            ly += 16;
        }
        fprintf(out, "<rect x=\"%.0f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                     "<text x=\"%.0f\" y=\"%d\" font-size=\"12\" fill=\"#222\">",
                lx, ly, s[l].color, lx + 16, ly + 10);
        eco_xml_escape(out, s[l].name);
        fputs("</text>\n", out);
        lx += w;
    }
}

void eco_svg_stacked_power(FILE *out, const struct eco_svg_series *s, size_t n,
                           const struct eco_svg_band *bands, size_t nb, int width, int height)
{
    const int mr = 16, mb = 56;
    struct plot p = {.ml = 62, .mt = 22};
    p.pw = width - p.ml - mr;
    p.ph = height - p.mt - mb;
    fprintf(out, "<svg class=\"chart power\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                 "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
            width, height, width, height);
    if (n == 0 || s[0].n < 2) {
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"empty\">no power series stored for this run</text>"
                     "</svg>\n", p.ml, p.mt + p.ph / 2);
        return;
    }
    double *t, *top;
    size_t k = stack_series(s, n, &t, &top);
    if (k == 0) {
        fputs("</svg>\n", out);
        return;
    }
    p.t0 = s[0].t[0];
    p.t1 = t[k - 1];
    if (p.t0 > 0 && p.t0 < (p.t1 - p.t0) * 0.1)
        p.t0 = 0;
    for (size_t j = 0; j < k; j++)
        p.ymax = fmax(p.ymax, top[j * (n + 1) + n]);
    p.ystep = nice_step(p.ymax > 0 ? p.ymax : 1, 5);
    p.ymax = ceil((p.ymax > 0 ? p.ymax : 1) / p.ystep) * p.ystep;
    p.xs = p.t1 > p.t0 ? p.pw / (p.t1 - p.t0) : 1;
    p.ys = p.ph / p.ymax;
    draw_bands(out, &p, bands, nb);
    draw_grid(out, &p);
    draw_layers(out, &p, s, n, t, top, k);
    draw_legend(out, &p, s, n, width, height, mr);
    fputs("</svg>\n", out);
    free(t);
    free(top);
}

void eco_svg_hbars(FILE *out, const struct eco_svg_bar *bars, size_t n, int width)
{
    const int label_w = 230, value_w = 280, row = 24, pad = 6;
    int height = (int)n * row + 2 * pad;
    double vmax = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(bars[i].value))
            vmax = fmax(vmax, bars[i].value);
    int bw = width - label_w - value_w;
    fprintf(out, "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                 "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
                 "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                 "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
                 "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#777\" stroke-width=\"3\"/></pattern></defs>\n",
            width, height, width, height);
    for (size_t i = 0; i < n; i++) {
        double v = isfinite(bars[i].value) && bars[i].value > 0 ? bars[i].value : 0;
        double w = vmax > 0 ? v / vmax * bw : 0;
        int y = pad + (int)i * row;
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#222\">",
                label_w - 8, y + 16);
        eco_xml_escape(out, bars[i].label);
        fputs("</text>\n", out);
        if (bars[i].hatched)
            fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"url(#hatch)\" "
                         "stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                    label_w, y + 3, fmax(w, 1), row - 6, bars[i].color ? bars[i].color : "#555");
        else
            fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                    label_w, y + 3, fmax(w, 1), row - 6, bars[i].color ? bars[i].color : "#0072B2");
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#222\">", label_w + fmax(w, 1) + 6,
                y + 16);
        eco_xml_escape(out, bars[i].value_text);
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
}
