/* What the a-posteriori methods (Green Algorithms, ML CO2 Impact) would have
 * estimated for a measured run, from what the run recorded (duration, CPU and
 * GPU models and counts, RAM), and the error of each against the measured
 * energy. Used by the report; pure lookups and arithmetic. */
#ifndef ECO_CARBON_POSTERIORI_CHECK_H
#define ECO_CARBON_POSTERIORI_CHECK_H

#include "carbon/posteriori.h"
#include "meter/result.h"

struct eco_posteriori_check {
    int possible;                     /* 0: why says what was missing */
    char why[1024];
    int measured_has_estimates;       /* some domain of the run is itself an estimate */
    struct eco_post_result estimate[2]; /* [ECO_POST_GREEN_ALGORITHMS], [ECO_POST_MLCO2] */
    double error_pct[2];              /* (estimate - measured) / measured x 100 */
    double co2e_g[2];                 /* of each estimate, at the run's intensity */
    char assumptions[640];
};

void eco_posteriori_check(const struct eco_run_result *r, struct eco_posteriori_check *c);

#endif
