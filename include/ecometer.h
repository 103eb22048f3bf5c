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

#ifdef __cplusplus
}
#endif
#endif
