/* Charts as inline SVG, drawn by ecometer itself so a report needs nothing
 * from the network to be read: stacked power over time with shaded regions,
 * and horizontal bars. Every text put into the SVG is XML-escaped. */
#ifndef ECO_RENDER_SVG_H
#define ECO_RENDER_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Write s with & < > " ' escaped (valid in HTML text and attribute values). */
void eco_xml_escape(FILE *out, const char *s);
/* A colour of a fixed palette (colour-blind friendly, cycles). */
const char *eco_svg_color(size_t i);

struct eco_svg_series {
    const char *name;
    const char *color;
    const double *t;          /* seconds, increasing */
    const double *watts;
    size_t n;
    size_t stride;            /* distance between consecutive values in doubles (1 if packed) */
};
struct eco_svg_band {         /* a marker region shaded behind the curves */
    const char *name;
    double t0, t1;
};

/* Power over time, one layer per series stacked in order (the series must
 * not contain one another). Series are resampled onto the first one's
 * times and thinned to at most ~1000 points a layer. */
void eco_svg_stacked_power(FILE *out, const struct eco_svg_series *s, size_t n,
                           const struct eco_svg_band *bands, size_t nb, int width, int height);

struct eco_svg_bar {
    const char *label;
    double value;             /* drawn to scale from 0 (negative values drawn as 0) */
    const char *value_text;   /* shown at the bar's end */
    const char *color;
    int hatched;              /* drawn hatched (e.g. an estimate rather than a measurement) */
};
void eco_svg_hbars(FILE *out, const struct eco_svg_bar *bars, size_t n, int width);

#endif
