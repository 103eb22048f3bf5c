#include "core/units.h"

#include <math.h>
#include <stdio.h>

double eco_j_to_wh(double joules) { return joules / ECO_J_PER_WH; }
double eco_j_to_kwh(double joules) { return joules / ECO_J_PER_KWH; }
double eco_wh_to_j(double wh) { return wh * ECO_J_PER_WH; }
double eco_kwh_to_j(double kwh) { return kwh * ECO_J_PER_KWH; }
double eco_g_to_kg(double grams) { return grams / 1000.0; }

const char *eco_fmt_energy(double j, char *buf, size_t len)
{
    double a = fabs(j);
    if (a < ECO_J_PER_WH) /* %.3g would print 1120 J as 1.12e+03 J */
        snprintf(buf, len, a >= 100 ? "%.0f J" : "%.3g J", j);
    else if (a < ECO_J_PER_KWH)
        snprintf(buf, len, "%.3g Wh", eco_j_to_wh(j));
    else if (a < ECO_J_PER_KWH * 1000)
        snprintf(buf, len, "%.3g kWh", eco_j_to_kwh(j));
    else
        snprintf(buf, len, "%.4g MWh", eco_j_to_kwh(j) / 1000);
    return buf;
}

const char *eco_fmt_power(double w, char *buf, size_t len)
{
    double a = fabs(w);
    if (a < 1 && a > 0)
        snprintf(buf, len, "%.3g mW", w * 1000);
    else if (a < 1000)
        snprintf(buf, len, "%.3g W", w);
    else
        snprintf(buf, len, "%.3g kW", w / 1000);
    return buf;
}

const char *eco_fmt_mass(double g, char *buf, size_t len)
{
    double a = fabs(g);
    if (a < 1000)
        snprintf(buf, len, "%.3g g", g);
    else if (a < 1e6)
        snprintf(buf, len, "%.3g kg", g / 1000);
    else
        snprintf(buf, len, "%.4g t", g / 1e6);
    return buf;
}

const char *eco_fmt_count(double n, char *buf, size_t len)
{
    static const char *suffix[] = {"", " k", " M", " G", " T", " P", " E"};
    int i = 0;
    double a = fabs(n);
    while (a >= 1000 && i < 6) {
        a /= 1000;
        n /= 1000;
        i++;
    }
    if (i == 0)
        snprintf(buf, len, "%.0f", n);
    else
        snprintf(buf, len, "%.3g%s", n, suffix[i]);
    return buf;
}
