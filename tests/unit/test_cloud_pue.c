/* data/cloud_pue.tsv: every provider with a cloud region in the carbon
 * table has its published fleet PUE, with a source URL and a year; the
 * lookup goes by the region code's prefix. */
#include <string.h>

#include "carbon/cloud_pue.h"
#include "carbon/intensity.h"
#include "test.h"

ECO_TEST(cloud_pue_every_provider_sourced)
{
    size_t n;
    const struct eco_region *rows = eco_region_table(&n);
    int clouds = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].kind, "cloud") != 0)
            continue;
        clouds++;
        const struct eco_cloud_pue *c = eco_cloud_pue_for(rows[i].code);
        if (!c)
            eco_test_fail(__FILE__, __LINE__, "no published PUE for the provider of %s", rows[i].code);
        /* hyperscale fleets publish 1.05-1.25; the data-centre average is 1.56 */
        CHECK(c->pue > 1.0 && c->pue < 1.3);
        CHECK(strstr(c->source, "https://") != NULL);
        CHECK(c->year >= 2020 && c->year <= 2026);
    }
    CHECK(clouds > 100);
    const struct eco_cloud_pue *aws = eco_cloud_pue_for("aws:us-east-1");
    CHECK(aws && strcmp(aws->provider, "aws") == 0 && aws->pue == 1.15 && aws->year == 2024);
    CHECK(eco_cloud_pue_for("FR") == NULL);           /* no provider */
    CHECK(eco_cloud_pue_for("ovh:gra") == NULL);      /* a provider without a row */
    CHECK(eco_cloud_pue_for(NULL) == NULL);
}
