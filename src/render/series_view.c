/* A run's carbon intensity over time for people (see series_view.h). */
#include "render/series_view.h"

#include <math.h>
#include <string.h>

#include "carbon/series.h"
#include "core/units.h"
#include "render/svg.h"

static int has_series(const struct eco_run_result *r)
{
    return r->intensity_series[0] && !eco_run_result_unmeasured(r) && r->series_co2e_g >= 0;
}

/* "12.3 g at 180 g/kWh over time (...), +1.2 g (+11%) vs the yearly 160 g/kWh" */
static void over_time(char *buf, size_t len, const struct eco_run_result *r)
{
    char a[32], b[32];
    double d = r->series_co2e_g - r->co2e_g;
    snprintf(buf, len, "%s at %.4g gCO2e/kWh, the series weighted by the run's energy; %s%s (%+.1f%%) vs the "
                       "yearly %.4g gCO2e/kWh",
             eco_fmt_mass(r->series_co2e_g, a, sizeof a), r->series_intensity_g_per_kwh, d >= 0 ? "+" : "-",
             eco_fmt_mass(fabs(d), b, sizeof b), r->co2e_g > 0 ? 100 * d / r->co2e_g : 0, r->intensity_g_per_kwh);
}

/* The advice sentence; "" when the series had no window as long as the run. */
static void advice(char *buf, size_t len, const struct eco_run_result *r)
{
    char t[40], a[32], b[32];
    if (r->advice_start_unix <= 0) {
        snprintf(buf, len, "no advice: the series holds no gap-free window as long as the run");
        return;
    }
    eco_series_format_time(r->advice_start_unix, t, sizeof t);
    if (!(r->advice_g_per_kwh < r->advice_actual_g_per_kwh)) {
        snprintf(buf, len, "arithmetic on the series at the run's average power: no start in it would have emitted "
                           "less than the run's own window (%.4g gCO2e/kWh)", r->advice_actual_g_per_kwh);
        return;
    }
    snprintf(buf, len, "arithmetic on the series at the run's average power: starting at %s (%.4g gCO2e/kWh) would "
                       "have emitted %s, %.1f%% (%s) less than its own window (%.4g gCO2e/kWh)",
             t, r->advice_g_per_kwh, eco_fmt_mass(r->advice_co2e_g, a, sizeof a), r->advice_saving_pct,
             eco_fmt_mass(r->advice_saving_g, b, sizeof b), r->advice_actual_g_per_kwh);
}

void eco_series_view_text(FILE *out, const struct eco_run_result *r, const char *indent, int width)
{
    if (!has_series(r))
        return;
    char line[768];
    over_time(line, sizeof line, r);
    fprintf(out, "%s%-*s%s\n", indent, width, "over time", line);
    fprintf(out, "%s%-*s%s: %s\n", indent, width, "", r->intensity_series, r->intensity_series_note);
    advice(line, sizeof line, r);
    fprintf(out, "%s%-*s%s\n", indent, width, "advice", line);
}

void eco_html_section_series(FILE *out, const struct eco_run_result *r)
{
    if (!has_series(r))
        return;
    fputs("<h3>Carbon intensity over time</h3>\n", out);
    struct eco_svg_bar bars[3];
    char values[3][96], m[32];
    size_t n = 0;
    snprintf(values[n], sizeof values[n], "%s (%.0f g/kWh)", eco_fmt_mass(r->co2e_g, m, sizeof m),
             r->intensity_g_per_kwh);
    bars[n] = (struct eco_svg_bar){"yearly average", r->co2e_g, values[n], "#999999", 0};
    n++;
    snprintf(values[n], sizeof values[n], "%s (%.0f g/kWh)", eco_fmt_mass(r->series_co2e_g, m, sizeof m),
             r->series_intensity_g_per_kwh);
    bars[n] = (struct eco_svg_bar){"over time (the series)", r->series_co2e_g, values[n], "#0072B2", 0};
    n++;
    if (r->advice_start_unix > 0 && r->advice_saving_g > 0) {
        snprintf(values[n], sizeof values[n], "%s (%.0f g/kWh)", eco_fmt_mass(r->advice_co2e_g, m, sizeof m),
                 r->advice_g_per_kwh);
        bars[n] = (struct eco_svg_bar){"best start in the series", r->advice_co2e_g, values[n], "#009E73", 1};
        n++;
    }
    eco_svg_hbars(out, bars, n, 1000);
    char line[768];
    fputs("<p>", out);
    over_time(line, sizeof line, r);
    eco_xml_escape(out, line);
    fputs("</p>\n<p class=\"note\">Series <code>", out);
    eco_xml_escape(out, r->intensity_series);
    fputs("</code>: ", out);
    eco_xml_escape(out, r->intensity_series_note);
    fputs("</p>\n<p>", out);
    advice(line, sizeof line, r);
    eco_xml_escape(out, line);
    fputs("</p>\n", out);
}
