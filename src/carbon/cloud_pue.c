/* data/cloud_pue.tsv, parsed once. A malformed built-in table is a build
 * defect: lookups then find nothing (no default PUE from the provider) and
 * test_cloud_pue fails. */
#include "carbon/cloud_pue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numparse.h"
#include "core/tsv.h"

extern const char eco_data_cloud_pue[];
extern const size_t eco_data_cloud_pue_len;

#define MAX_PROVIDERS 8
static struct eco_tsv table;
static struct eco_cloud_pue rows[MAX_PROVIDERS];
static size_t n_rows;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_once(void)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_tsv_parse(eco_data_cloud_pue, eco_data_cloud_pue_len, "data/cloud_pue.tsv (built in)", &table,
                      &err) != 0)
        return;
    int cp = eco_tsv_col(&table, "provider"), cn = eco_tsv_col(&table, "name"), cv = eco_tsv_col(&table, "pue"),
        cs = eco_tsv_col(&table, "source"), cy = eco_tsv_col(&table, "year");
    if (cp < 0 || cn < 0 || cv < 0 || cs < 0 || cy < 0)
        return;
    for (size_t i = 0; i < table.n_rows && n_rows < MAX_PROVIDERS; i++) {
        char **r = table.rows[i];
        double pue;
        int year;
        if (eco_num_double(r[cv], 1, 3, 0, &pue) != ECO_NUM_OK || pue >= 3 || !r[cs][0] ||
            eco_num_int(r[cy], 1990, 2100, 0, &year) != ECO_NUM_OK)
            continue; /* outside any published PUE, or no year: not a default anybody should get */
        rows[n_rows++] = (struct eco_cloud_pue){r[cp], r[cn], pue, r[cs], year};
    }
}

const struct eco_cloud_pue *eco_cloud_pue_for(const char *code)
{
    const char *colon = code ? strchr(code, ':') : NULL;
    if (!colon)
        return NULL;
    pthread_once(&once, load_once);
    size_t len = (size_t)(colon - code);
    for (size_t i = 0; i < n_rows; i++)
        if (strlen(rows[i].provider) == len && strncasecmp(rows[i].provider, code, len) == 0)
            return &rows[i];
    return NULL;
}
