/* The run record described once: each field of a run (struct
 * eco_run_result), of its domains and of its regions, with its type, unit,
 * JSON key, CSV header and SQL column. The history's schema and its save
 * and load (src/store/), the JSON writer and the CSV writer (src/render/) all
 * walk these tables, so a field added here appears in each of them and
 * `ecometer run --json` and `ecometer show --format json` cannot drift. */
#ifndef ECO_METER_RECORD_FIELDS_H
#define ECO_METER_RECORD_FIELDS_H

#include <stddef.h>

enum eco_field_type {
    ECO_FIELD_TEXT,    /* char[] */
    ECO_FIELD_INT,     /* int */
    ECO_FIELD_INT64,   /* long long */
    ECO_FIELD_REAL,    /* double */
    ECO_FIELD_BOOL,    /* int 0/1; JSON true/false, SQL 0/1 */
    ECO_FIELD_KIND,    /* enum eco_kind; as eco_kind_name text */
    ECO_FIELD_METHOD,  /* enum eco_method; as eco_method_name text */
};

enum {
    ECO_FIELD_NULL_IF_NEG = 1 << 0,  /* a negative value is "none": JSON null, CSV empty */
    ECO_FIELD_FORECAST = 1 << 1,     /* written only when the run has a forecast */
    ECO_FIELD_LIST = 1 << 2,         /* one of the columns of `ecometer runs` */
    ECO_FIELD_MEASURED = 1 << 3,     /* an energy or CO2e figure of the run: JSON null, CSV empty
                                      * when nothing was measured (eco_run_result_unmeasured) */
};

struct eco_field {
    const char *name;       /* the C member, for messages and tests */
    enum eco_field_type type;
    const char *unit;       /* "J", "W", "s", "g", "g/kWh", "GiB", "" */
    const char *json;       /* key, "outer.inner" for a nested object */
    const char *csv;        /* CSV header, NULL: not a CSV column */
    const char *sql;        /* SQL column, NULL: derived (computed on load, not stored) */
    int since;              /* the history schema version that added the column */
    unsigned flags;
    size_t off, size;       /* where in the struct */
};

extern const struct eco_field eco_run_fields[];
extern const size_t eco_n_run_fields;
extern const struct eco_field eco_domain_fields[];
extern const size_t eco_n_domain_fields;
extern const struct eco_field eco_region_fields[];
extern const size_t eco_n_region_fields;

/* The field's storage in the struct at base. */
const void *eco_field_ptr(const struct eco_field *f, const void *base);
void *eco_field_mut(const struct eco_field *f, void *base);
/* Its value as a number (TEXT: 0; KIND/METHOD: the enum). */
double eco_field_number(const struct eco_field *f, const void *base);
/* Its value as text (TEXT, KIND, METHOD; NULL for numbers). */
const char *eco_field_text(const struct eco_field *f, const void *base);
/* Negative and flagged NULL_IF_NEG, or flagged MEASURED in a run where
 * nothing was measured: there is no value. */
int eco_field_is_none(const struct eco_field *f, const void *base);

/* The stored ones (sql != NULL) of a table, in order, into out (room for n);
 * returns how many. */
size_t eco_fields_stored(const struct eco_field *t, size_t n, const struct eco_field **out);

#endif
