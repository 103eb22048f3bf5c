/* ISO 3166-1 alpha-2 <-> alpha-3, from the compiled-in data/iso3166.tsv,
 * parsed once. A malformed built-in table is a build defect: the lookups
 * then answer NULL (unknown) and test_iso3166.c fails. */
#include "carbon/iso3166.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "core/tsv.h"

extern const char eco_data_iso3166[];
extern const size_t eco_data_iso3166_len;

static struct eco_tsv table;
static int col2 = -1, col3 = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_once(void)
{
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_tsv_parse(eco_data_iso3166, eco_data_iso3166_len, "data/iso3166.tsv (built in)", &table,
                      &err) != 0)
        return;
    col2 = eco_tsv_col(&table, "alpha2");
    col3 = eco_tsv_col(&table, "alpha3");
}

/* The row whose column `from` equals code (case-insensitive), its column `to`. */
static const char *lookup(const char *code, int want3)
{
    pthread_once(&once, load_once);
    if (!code || col2 < 0 || col3 < 0)
        return NULL;
    int from = want3 ? col2 : col3, to = want3 ? col3 : col2;
    for (size_t i = 0; i < table.n_rows; i++)
        if (strcasecmp(table.rows[i][from], code) == 0)
            return table.rows[i][to];
    return NULL;
}

const char *eco_iso_alpha3(const char *alpha2)
{
    return alpha2 && strlen(alpha2) == 2 ? lookup(alpha2, 1) : NULL;
}

const char *eco_iso_alpha2(const char *alpha3)
{
    return alpha3 && strlen(alpha3) == 3 ? lookup(alpha3, 0) : NULL;
}
