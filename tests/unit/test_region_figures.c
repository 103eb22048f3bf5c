/* A region's figures per domain (ledger) and the `figures NAME` reply text
 * (region_figures.h), with synthetic samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meter/ledger.h"
#include "meter/region_figures.h"
#include "test.h"

static struct eco_domain dom(const char *name, enum eco_method method, int parent)
{
    struct eco_domain d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "%s", name);
    d.kind = ECO_KIND_CPU_PACKAGE;
    d.method = method;
    d.type = ECO_VALUE_POWER;
    d.parent = parent;
    return d;
}

/* Three domains at constant powers: package 50 W (measured), core 20 W inside
 * it, cpu 10 W estimated (top-level). Samples every second from t0 = 100. */
static void sample(struct eco_ledger *l, double t)
{
    struct eco_reading r[3] = {{1, 50, t}, {1, 20, t}, {1, 10, t}};
    eco_ledger_add(l, r);
}

ECO_TEST(region_figures_per_domain_interpolated_between_samples)
{
    struct eco_domain d[3] = {dom("package-0", ECO_MEASURED, -1), dom("core-0", ECO_MEASURED, 0),
                              dom("cpu", ECO_ESTIMATED, -1)};
    struct eco_ledger l;
    struct eco_err err;
    CHECK(eco_ledger_init(&l, d, 3, 100.0, 1.0, &err) == 0);
    sample(&l, 100.0);
    sample(&l, 101.0);
    struct eco_region_figures f;
    CHECK_INT(eco_ledger_region_figures(&l, "w", &f), ECO_FIGURES_UNKNOWN);
    CHECK(eco_ledger_begin(&l, "w", 101.5) == 0); /* after the last sample: pending */
    sample(&l, 102.0);
    sample(&l, 103.0);
    CHECK_INT(eco_ledger_region_figures(&l, "w", &f), ECO_FIGURES_UNKNOWN); /* still open */
    CHECK(eco_ledger_end(&l, "w", 103.25) == 0);
    CHECK_INT(eco_ledger_region_figures(&l, "w", &f), ECO_FIGURES_PENDING);
    sample(&l, 104.0);
    CHECK_INT(eco_ledger_region_figures(&l, "w", &f), ECO_FIGURES_READY);
    /* 1.75 s: package 87.5 J, core 35 J (inside, not counted), cpu 17.5 J estimated */
    CHECK_NEAR(f.duration_s, 1.75, 1e-9);
    CHECK_NEAR(f.energy_j, 60 * 1.75, 1e-9);
    CHECK_NEAR(f.estimated_j, 10 * 1.75, 1e-9);
    CHECK(f.n_domains == 3 && f.omitted_domains == 0);
    CHECK_NEAR(f.dom[0].energy_j, 50 * 1.75, 1e-9);
    CHECK_NEAR(f.dom[1].energy_j, 20 * 1.75, 1e-9);
    CHECK_NEAR(f.dom[2].energy_j, 10 * 1.75, 1e-9);
    CHECK_INT(f.dom[0].counted, 1);
    CHECK_INT(f.dom[1].counted, 0);
    CHECK_INT(f.dom[2].method, ECO_ESTIMATED);

    /* A second region of the same name: the newest closed one answers. */
    CHECK(eco_ledger_begin(&l, "w", 104.0) == 0);
    CHECK(eco_ledger_end(&l, "w", 104.0) == 0);
    CHECK_INT(eco_ledger_region_figures(&l, "w", &f), ECO_FIGURES_READY);
    CHECK_NEAR(f.energy_j, 0, 1e-12);

    char buf[ECO_FIGURES_MAX_REPLY];
    CHECK(eco_ledger_end(&l, "never", 104.0) == -1);
    int n = eco_region_figures_reply(ECO_FIGURES_UNKNOWN, "never", NULL, 56, 0, buf, sizeof buf);
    CHECK(n > 0 && strcmp(buf, "unknown never") == 0);
    n = eco_region_figures_reply(ECO_FIGURES_PENDING, "w", NULL, 56, 0, buf, sizeof buf);
    CHECK(n > 0 && strcmp(buf, "pending w") == 0);
    eco_ledger_free(&l);
}

ECO_TEST(region_figures_reply_text_and_bounds)
{
    struct eco_region_figures f;
    memset(&f, 0, sizeof f);
    snprintf(f.name, sizeof f.name, "epoch 1");
    f.duration_s = 2;
    f.energy_j = 3.6e6; /* 1 kWh */
    f.items = 7;
    f.n_domains = 1;
    snprintf(f.dom[0].name, sizeof f.dom[0].name, "gpu 0");
    f.dom[0].energy_j = 3.6e6;
    f.dom[0].counted = 1;
    char buf[ECO_FIGURES_MAX_REPLY];
    int n = eco_region_figures_reply(ECO_FIGURES_READY, "epoch 1", &f, 56, 1, buf, sizeof buf);
    CHECK(n > 0 && (size_t)n == strlen(buf));
    CHECK(strstr(buf, "figures epoch 1\n") == buf);
    CHECK(strstr(buf, "\nco2e_g 56\n") != NULL); /* 1 kWh at 56 g/kWh */
    CHECK(strstr(buf, "\nintensity_default 1\n") != NULL);
    CHECK(strstr(buf, "\nitems 7\n") != NULL);
    CHECK(strstr(buf, "\ndomain measured counted 3600000.000000 gpu 0\n") != NULL);
    /* the most a reply can hold fits the bound */
    f.n_domains = ECO_FIGURES_MAX_DOMAINS;
    f.omitted_domains = 5;
    for (size_t i = 0; i < f.n_domains; i++) {
        memset(f.dom[i].name, 'x', 63);
        f.dom[i].name[63] = '\0';
        f.dom[i].energy_j = 1e15;
    }
    memset(f.name, 'y', 63);
    CHECK(eco_region_figures_reply(ECO_FIGURES_READY, f.name, &f, 1e4, 0, buf, sizeof buf) > 0);
    CHECK(strstr(buf, "domains_omitted 5\n") != NULL);
    CHECK_INT(eco_region_figures_reply(ECO_FIGURES_READY, f.name, &f, 56, 0, buf, 100), -1);
}
