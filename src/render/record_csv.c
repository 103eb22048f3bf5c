/* The CSV of a run record (see record_csv.h). */
#include "render/record_csv.h"

#include <string.h>

#include "core/format.h"
#include "meter/record_fields.h"
#include "meter/result.h"

#define MAX_COLS 96

struct columns {
    const char *name[MAX_COLS];
    size_t n;
};

static void add_names(struct columns *c, const struct eco_field *t, size_t n, unsigned need)
{
    for (size_t i = 0; i < n; i++) {
        if (!t[i].csv || (t[i].flags & need) != need)
            continue;
        size_t k = 0;
        while (k < c->n && strcmp(c->name[k], t[i].csv) != 0)
            k++;
        if (k == c->n && c->n < MAX_COLS)
            c->name[c->n++] = t[i].csv;
    }
}

static void put_value(FILE *out, const struct eco_field *f, const void *base)
{
    if (eco_field_is_none(f, base))
        return;
    const char *text = eco_field_text(f, base);
    if (text)
        eco_csv_field(out, text);
    else if (f->type == ECO_FIELD_REAL)
        fprintf(out, "%.15g", eco_field_number(f, base));
    else
        fprintf(out, "%.0f", eco_field_number(f, base));
}

/* unmeasured: the run row of a run where nothing was measured, whose
 * method column says so (its energy cells are empty). */
static void row(FILE *out, const struct columns *c, const char *section, const struct eco_field *t, size_t n,
                const void *base, int with_forecast, int unmeasured)
{
    if (section) /* NULL: no section column */
        fputs(section, out);
    for (size_t k = 0; k < c->n; k++) {
        if (k || section)
            fputc(',', out);
        size_t i = 0;
        while (i < n && !(t[i].csv && strcmp(t[i].csv, c->name[k]) == 0 &&
                          (with_forecast || !(t[i].flags & ECO_FIELD_FORECAST))))
            i++;
        if (i < n)
            put_value(out, &t[i], base);
        else if (unmeasured && strcmp(c->name[k], "method") == 0)
            fputs("not measured", out);
    }
    fputc('\n', out);
}

void eco_record_csv(FILE *out, const struct eco_run_result *r)
{
    struct columns c = {.n = 0};
    add_names(&c, eco_run_fields, eco_n_run_fields, 0);
    add_names(&c, eco_domain_fields, eco_n_domain_fields, 0);
    add_names(&c, eco_region_fields, eco_n_region_fields, 0);
    fputs("section", out);
    for (size_t k = 0; k < c.n; k++)
        fprintf(out, ",%s", c.name[k]);
    fputc('\n', out);
    row(out, &c, "run", eco_run_fields, eco_n_run_fields, r, r->forecast.epochs > 0, eco_run_result_unmeasured(r));
    for (size_t i = 0; i < r->n_domains; i++)
        row(out, &c, "domain", eco_domain_fields, eco_n_domain_fields, &r->domains[i], 0, 0);
    for (size_t k = 0; k < r->n_regions; k++)
        row(out, &c, "region", eco_region_fields, eco_n_region_fields, &r->regions[k], 0, 0);
}

void eco_record_list_csv(FILE *out, const struct eco_run_result *runs, size_t n)
{
    struct columns c = {.n = 0};
    add_names(&c, eco_run_fields, eco_n_run_fields, ECO_FIELD_LIST);
    for (size_t k = 0; k < c.n; k++)
        fprintf(out, "%s%s", k ? "," : "", c.name[k]);
    fputc('\n', out);
    for (size_t i = 0; i < n; i++)
        row(out, &c, NULL, eco_run_fields, eco_n_run_fields, &runs[i], 0, 0);
}
