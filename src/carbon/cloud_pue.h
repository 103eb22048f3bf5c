/* The PUE each cloud provider publishes for its data-centre fleet
 * (data/cloud_pue.tsv, compiled in): the default PUE of an estimate placed
 * in one of its regions. */
#ifndef ECO_CARBON_CLOUD_PUE_H
#define ECO_CARBON_CLOUD_PUE_H

struct eco_cloud_pue {
    const char *provider;  /* "aws" */
    const char *name;      /* "AWS" */
    double pue;
    const char *source;
    int year;
};

/* The row of a region code's provider ("aws:eu-west-3" -> aws); NULL for a
 * code without a provider prefix or a provider without a row. */
const struct eco_cloud_pue *eco_cloud_pue_for(const char *region_code);

#endif
