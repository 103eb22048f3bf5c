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

#define ECOMETER_API_VERSION 1

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
/* Stop, fill *out (may be NULL) and free the session. */
ECO_API int eco_session_stop(eco_session *s, struct eco_summary *out);

#ifdef __cplusplus
}
#endif
#endif
