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

void eco_svg_stacked_power(FILE *out, const struct eco_svg_series *s, size_t n,
                           const struct eco_svg_band *bands, size_t nb, int width, int height)
{
    const int ml = 62, mr = 16, mt = 22, mb = 56;
    int pw = width - ml - mr, ph = height - mt - mb;
    fprintf(out, "<svg class=\"chart power\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                 "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
            width, height, width, height);
    if (n == 0 || s[0].n < 2) {
        fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"empty\">no power series stored for this run</text>"
                     "</svg>\n", ml, mt + ph / 2);
        return;
    }
    size_t st0 = s[0].stride ? s[0].stride : 1;
    size_t m = s[0].n, step = m > 1000 ? (m + 999) / 1000 : 1;
    size_t k = (m + step - 1) / step;
    /* Grid: bin averages of the first series' times (thinning keeps the area). */
    double *t = calloc(k, sizeof *t), *top = calloc(k * (n + 1), sizeof *top);
    if (!t || !top) {
        free(t);
        free(top);
        fputs("</svg>\n", out);
        return;
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
    double t0 = s[0].t[0], t1 = t[k - 1], ymax = 0;
    if (t0 > 0 && t0 < (t1 - t0) * 0.1)
        t0 = 0;
    for (size_t j = 0; j < k; j++)
        ymax = fmax(ymax, top[j * (n + 1) + n]);
    double ystep = nice_step(ymax > 0 ? ymax : 1, 5);
    ymax = ceil((ymax > 0 ? ymax : 1) / ystep) * ystep;
    double xs = t1 > t0 ? pw / (t1 - t0) : 1, ys = ph / ymax;
#define X(tt) (ml + ((tt) - t0) * xs)
#define Y(w) (mt + ph - (w) * ys)

    /* Regions behind the curves, labelled at the top. */
    for (size_t b = 0; b < nb; b++) {
        double a0 = fmax(bands[b].t0, t0), a1 = fmin(bands[b].t1, t1);
        if (a1 <= a0)
            continue;
        fprintf(out, "<rect class=\"region\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                     "fill=\"%s\" fill-opacity=\"0.10\"><title>",
                X(a0), mt, (a1 - a0) * xs, ph, b % 2 ? "#444" : "#888");
        eco_xml_escape(out, bands[b].name);
        fputs("</title></rect>\n", out);
        fprintf(out, "<text class=\"region-label\" x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#444\">",
                X(a0) + 3, mt + 12);
        eco_xml_escape(out, bands[b].name);
        fputs("</text>\n", out);
    }
    /* Axes and grid. */
    for (double y = 0; y <= ymax + ystep / 2; y += ystep) {
        fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                     "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#333\">%g W</text>\n",
                ml, ml + pw, Y(y), Y(y), ml - 6, Y(y) + 4, y);
    }
    double xstep = nice_step(t1 - t0, 8);
    for (double x = ceil(t0 / xstep) * xstep; x <= t1 + 1e-9; x += xstep)
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
                     "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">%g s</text>\n",
                X(x), X(x), mt + ph, mt + ph + 4, X(x), mt + ph + 17, x);
    /* Layers: upper edge forward, lower edge back. */
    for (size_t l = 0; l < n; l++) {
        fprintf(out, "<path class=\"layer\" fill=\"%s\" fill-opacity=\"0.85\" stroke=\"%s\" "
                     "stroke-width=\"0.8\" d=\"M%.1f %.1f",
                s[l].color, s[l].color, X(t[0]), Y(top[l + 1]));
        for (size_t j = 1; j < k; j++)
            fprintf(out, " L%.1f %.1f", X(t[j]), Y(top[j * (n + 1) + l + 1]));
        for (size_t j = k; j-- > 0;)
            fprintf(out, " L%.1f %.1f", X(t[j]), Y(top[j * (n + 1) + l]));
        fputs(" Z\"><title>", out);
        eco_xml_escape(out, s[l].name);
        fputs("</title></path>\n", out);
    }
    fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", ml, ml + pw,
            mt + ph, mt + ph);
    /* Legend under the axis, on two rows when one is not wide enough
     * (about 7 px a character at 12 px). */
    double lx = ml;
    int ly = height - 30;
    for (size_t l = 0; l < n; l++) {
        double w = 16 + 7 * (double)strlen(s[l].name ? s[l].name : "") + 18;
        if (lx > ml && lx + w > width - mr && ly < height - 20) {
            lx = ml;
            ly += 16;
        }
        fprintf(out, "<rect x=\"%.0f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                     "<text x=\"%.0f\" y=\"%d\" font-size=\"12\" fill=\"#222\">",
                lx, ly, s[l].color, lx + 16, ly + 10);
        eco_xml_escape(out, s[l].name);
        fputs("</text>\n", out);
        lx += w;
    }
    fputs("</svg>\n", out);
#undef X
#undef Y
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
