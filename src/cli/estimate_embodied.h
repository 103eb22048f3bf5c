/* `ecometer estimate`'s embodied emissions: the footprint of the hardware
 * named by the flags (carbon/embodied.c), amortised over runtime x PSF, and
 * its lines in the text, JSON and CSV outputs, beside the operational CO2e.
 * Kept out of cmd_estimate.c, which only calls these. */
#ifndef ECO_CLI_ESTIMATE_EMBODIED_H
#define ECO_CLI_ESTIMATE_EMBODIED_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "carbon/embodied.h"
#include "carbon/posteriori.h"

struct eco_estimate_embodied {
    double lifetime_s;            /* --lifetime (0: the default) */
    double share;                 /* --embodied-share (0: the default) */
    struct eco_embodied_footprint f;
    double duration_s;            /* runtime x PSF */
    double g;                     /* amortised grams; -1 when the table could not be read */
};

#define ECO_ESTIMATE_EMBODIED_USAGE                                                                    \
    "embodied (manufacturing) emissions, shown beside the operational CO2e, never added into it:\n"   \
    "  --lifetime D             service life of the hardware (default 4y; y = 365.25 days)\n"          \
    "  --embodied-share F       share of the devices charged to the job, 0..1 or a percentage (default 1)\n"

/* --lifetime / --embodied-share: 1 taken, 0 not one of them, -1 after printing why. */
int eco_estimate_embodied_flag(const char *flag, const char *value, struct eco_estimate_embodied *e);
/* The footprint of --gpu x n_gpus, --cpu (one package), --memory, amortised
 * over the runtime x PSF the result used. */
void eco_estimate_embodied_compute(struct eco_estimate_embodied *e, const char *gpu_name, const char *cpu_name,
                                   const struct eco_post_result *r);
void eco_estimate_embodied_text(FILE *out, const struct eco_estimate_embodied *e, double co2e_g);
void eco_estimate_embodied_json(cJSON *root, const struct eco_estimate_embodied *e, double co2e_g);
/* ",embodied_co2e_g,..." header cells and the matching row cells (no newline). */
void eco_estimate_embodied_csv_header(FILE *out);
void eco_estimate_embodied_csv_row(FILE *out, const struct eco_estimate_embodied *e, double co2e_g);

#endif
