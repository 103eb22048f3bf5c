/* Freeing a run result (the arrays the meter or the history allocated). */
#include "meter/result.h"

#include <stdlib.h>
#include <string.h>

void eco_run_result_free(struct eco_run_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_domains; i++)
        free(r->domains[i].series);
    free(r->domains);
    free(r->regions);
    r->domains = NULL;
    r->regions = NULL;
    r->n_domains = r->n_regions = 0;
}

int eco_run_result_unmeasured(const struct eco_run_result *r)
{
    return r->n_domains == 0 && r->listed_domains == 0;
}
