/* Stored runs as Prometheus text (see record_prometheus.h). */
#include "render/record_prometheus.h"

#include "sensors/sensor.h"

/* A label value: backslash, double quote and newline escaped (exposition format). */
static void label_value(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* One gauge over the runs; a negative value means "none" (an embodied figure
 * of a run stored before there were any) and gives no sample. */
static void run_gauge(FILE *out, const char *name, const char *help, const struct eco_run_result *runs, size_t n,
                      size_t off)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
    for (size_t i = 0; i < n; i++) {
        if (*(const double *)((const char *)&runs[i] + off) < 0)
            continue;
        fprintf(out, "%s{run_id=", name);
        label_value(out, runs[i].id);
        fputs(",kind=", out);
        label_value(out, runs[i].kind);
        fputs(",region=", out);
        label_value(out, runs[i].region_code);
        fprintf(out, ",complete=\"%s\"} %.9g\n", runs[i].complete ? "true" : "false",
                *(const double *)((const char *)&runs[i] + off));
    }
}

void eco_record_prometheus(FILE *out, const struct eco_run_result *runs, size_t n)
{
    run_gauge(out, "ecometer_run_duration_seconds", "Duration of a stored ecometer run.", runs, n,
              offsetof(struct eco_run_result, duration_s));
    run_gauge(out, "ecometer_run_energy_joules", "Energy of a stored ecometer run (top-level domains).", runs, n,
              offsetof(struct eco_run_result, total_energy_j));
    run_gauge(out, "ecometer_run_co2e_grams", "CO2e of a stored ecometer run at its carbon intensity.", runs, n,
              offsetof(struct eco_run_result, co2e_g));
    run_gauge(out, "ecometer_run_carbon_intensity_grams_per_kwh", "Carbon intensity a stored run was counted at.",
              runs, n, offsetof(struct eco_run_result, intensity_g_per_kwh));
    run_gauge(out, "ecometer_run_embodied_co2e_grams",
              "Embodied CO2e of a stored run: its share of making the hardware, beside ecometer_run_co2e_grams.",
              runs, n, offsetof(struct eco_run_result, embodied_co2e_g));
    fputs("# HELP ecometer_run_domain_energy_joules Energy of one domain of a stored ecometer run.\n"
          "# TYPE ecometer_run_domain_energy_joules gauge\n",
          out);
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < runs[i].n_domains; d++) {
            const struct eco_domain_result *x = &runs[i].domains[d];
            fputs("ecometer_run_domain_energy_joules{run_id=", out);
            label_value(out, runs[i].id);
            fputs(",domain=", out);
            label_value(out, x->name);
            fprintf(out, ",kind=\"%s\",method=\"%s\",top_level=\"%s\"} %.9g\n", eco_kind_name(x->kind),
                    eco_method_name(x->method), x->top_level ? "true" : "false", x->energy_j);
        }
}
