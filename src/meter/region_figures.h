/* A closed region's figures, as `ecometer run` answers them over the marker
 * socket (`figures NAME`, protocol in src/meter/markers.h and
 * docs/METHODOLOGY.md "Asking the run for a region's figures"): its
 * duration, energy (total and per domain, each measured or estimated), items
 * and CO2e. Bounded: at most ECO_FIGURES_MAX_DOMAINS domains, a reply of at
 * most ECO_FIGURES_MAX_REPLY bytes. */
#ifndef ECO_METER_REGION_FIGURES_H
#define ECO_METER_REGION_FIGURES_H

#include <stddef.h>

#include "sensors/sensor.h"

#define ECO_FIGURES_MAX_DOMAINS 32
#define ECO_FIGURES_MAX_REPLY 4096

struct eco_ledger;

struct eco_region_domain {
    char name[64];
    enum eco_method method;
    int counted;              /* added into energy_j (else inside a counted domain) */
    double energy_j;
};

struct eco_region_figures {
    char name[64];
    double duration_s;
    double energy_j;          /* the counted domains */
    double estimated_j;       /* the estimated part of energy_j */
    long long items;
    size_t n_domains;         /* up to ECO_FIGURES_MAX_DOMAINS of them */
    size_t omitted_domains;   /* beyond that (the reply says how many) */
    struct eco_region_domain dom[ECO_FIGURES_MAX_DOMAINS];
};

enum eco_figures_status { ECO_FIGURES_READY, ECO_FIGURES_PENDING, ECO_FIGURES_UNKNOWN };

/* The newest closed region called name: READY (out filled), PENDING (its
 * start or end waits for the next sample) or UNKNOWN (no closed region of
 * that name). The caller holds whatever protects l. */
enum eco_figures_status eco_ledger_region_figures(const struct eco_ledger *l, const char *name,
                                                  struct eco_region_figures *out);

/* The reply datagram for a request about name (status as above; f read when
 * READY; CO2e at g_per_kwh, marked as the default world figure when
 * intensity_is_default). Returns its length (< len), or -1 if len is too small. */
int eco_region_figures_reply(enum eco_figures_status st, const char *name, const struct eco_region_figures *f,
                             double g_per_kwh, int intensity_is_default, char *buf, size_t len);

#endif
