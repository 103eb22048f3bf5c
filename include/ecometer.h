/* libecometer public C API: measure the energy of a piece of your program
 * and mark regions inside it.
 *
 *   eco_session *s = eco_session_start(NULL, &err);
 *   eco_region_begin(s, "epoch-1");  ...  eco_items(s, 5460);  eco_region_end(s, "epoch-1");
 *   eco_session_stop(s, &summary);
 *
 * When the program runs under `ecometer run`, the marker calls go to that
 * meter through the socket named in ECOMETER_SOCKET instead. */
#ifndef ECOMETER_H
#define ECOMETER_H

#ifdef __cplusplus
extern "C" {
#endif

/* 2: eco_session_describe, eco_session_stop_domains, eco_region_figures,
 * eco_session_set_label, eco_session_last_error; standalone sessions are
 * stored in the history. */
#define ECOMETER_API_VERSION 2

/* The library is built with -fvisibility=hidden: only the functions marked
 * ECO_API below are exported from libecometer.so (tests/e2e/install_tree.sh
 * checks the dynamic symbol table against this header). */
#if defined(__GNUC__) && !defined(ECO_API)
#define ECO_API __attribute__((visibility("default")))
#elif !defined(ECO_API)
#define ECO_API
#endif

typedef struct eco_session eco_session;

struct eco_session_options {
    double interval_s;     /* sampling interval, default 0.1 */
    const char *region;    /* carbon-intensity region code, or NULL */
};

struct eco_summary {
    double duration_s;
    double energy_j;       /* all top-level domains */
    double co2e_g;
    int estimated;         /* 1 if any part of energy_j is estimated */
};

/* Start measuring this machine (or attach to the enclosing `ecometer run`).
 * Returns NULL and writes a message into errbuf on failure. */
ECO_API eco_session *eco_session_start(const struct eco_session_options *opt, char *errbuf, unsigned errlen);
ECO_API int eco_region_begin(eco_session *s, const char *name);
ECO_API int eco_region_end(eco_session *s, const char *name);
ECO_API int eco_items(eco_session *s, long long count);
/* Name, tag and file the session's run (issue 13), as `ecometer run --name
 * NAME --tag T1,T2 --project P` does; call it after eco_session_start and
 * before eco_session_stop (the run record is saved with it at the stop):
 *   name                  NULL: unchanged; 1..64 bytes, no control character,
 *                         no '~', not "latest"
 *   tags_comma_separated  NULL: unchanged; "kd,reid": each tag 1..32 bytes,
 *                         no control character, 255 bytes in all
 *   project               NULL: unchanged; 1..64 bytes, no control character
 * Returns 0 when set; -1 when s is NULL or a value breaks these rules (then
 * nothing changes; eco_session_last_error says why); 1 when the session is a
 * window of an enclosing `ecometer run`: that run's own --name, --tag and
 * --project label it, so nothing is set. Stable since ECOMETER_API_VERSION 2. */
ECO_API int eco_session_set_label(eco_session *s, const char *name, const char *tags_comma_separated,
                                  const char *project);
/* Why the last call on s that returned -1 failed ("" when none); valid until
 * the next call on s. Since ECOMETER_API_VERSION 2. */
ECO_API const char *eco_session_last_error(const eco_session *s);
/* Stop, fill *out (may be NULL) and free the session. */
ECO_API int eco_session_stop(eco_session *s, struct eco_summary *out);

/* Standalone sessions are stored in the history of runs (ECOMETER_DB, else
 * the default one `ecometer runs` reads), kind "session". A failure to store
 * is a warning on stderr, never an error of the session. */

/* Say what the session measures, as the history shows it in place of a
 * command ("python: train.fit(3)"). Under `ecometer run` it does nothing
 * (the run has its own command). 0, or -1 for a NULL argument. */
ECO_API int eco_session_describe(eco_session *s, const char *command);

/* One domain of a stopped standalone session. */
struct eco_domain_summary {
    char name[64];         /* "package-0", "dram-0", "gpu-0", "cpu" */
    double energy_j;
    int estimated;         /* 1: estimated from a model, 0: measured by a sensor */
    int counted;           /* 1: part of eco_summary.energy_j; 0: inside a counted domain */
};

/* eco_session_stop, and the session's domains: up to max of them into
 * domains, their number into *n_domains (may be more than max). Under
 * `ecometer run` *n_domains is 0 (the run holds the figures). */
ECO_API int eco_session_stop_domains(eco_session *s, struct eco_summary *out, struct eco_domain_summary *domains,
                                     unsigned max, unsigned *n_domains);

/* A closed region's figures (standalone sessions). */
struct eco_region_summary {
    double duration_s;
    double energy_j;       /* the counted domains */
    double co2e_g;         /* of energy_j, at the session's carbon intensity */
    double estimated_j;    /* the estimated part of energy_j */
    long long items;       /* counted inside the region */
};

/* The figures of the newest closed region called name, and up to max of its
 * domains (their number into *n_domains). A region's end is known at the
 * sample after it: this waits for it (at most a second or five intervals).
 * 0: filled; 1: still not known (ask again); -1: no closed region of that
 * name, or under `ecometer run` (there the run answers: `figures NAME` on
 * its socket, docs/METHODOLOGY.md). */
ECO_API int eco_region_figures(eco_session *s, const char *name, struct eco_region_summary *out,
                               struct eco_domain_summary *domains, unsigned max, unsigned *n_domains);

#ifdef __cplusplus
}
#endif
#endif
