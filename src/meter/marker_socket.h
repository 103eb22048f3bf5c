/* The marker socket of `ecometer run`: a unix SOCK_DGRAM socket in a private
 * temporary directory (mode 0700, so only this user can send), whose path
 * the child finds in ECOMETER_SOCKET. Protocol: src/meter/markers.h. */
#ifndef ECO_METER_MARKER_SOCKET_H
#define ECO_METER_MARKER_SOCKET_H

#include "core/err.h"

struct eco_meter;

struct eco_marker_socket {
    int fd;
    int dfd;            /* the private folder, held open for the cleanup */
    char dir[256];
    char path[300];
    long long received, malformed;
    /* `figures NAME` requests (markers.h): the run's intensity for their
     * CO2e (set by the caller after open), and the replies that could not
     * be sent (no sender address, its queue full, too many at once). */
    double g_per_kwh;
    int intensity_is_default;
    long long figures_answered, figures_dropped;
};

int eco_marker_socket_open(struct eco_marker_socket *s, struct eco_err *err);
/* Read every pending datagram and apply it to the meter (non-blocking);
 * answer at most ECO_FIGURES_PER_DRAIN figure requests per call (the rest
 * are dropped: a client asks again), so a flood cannot stall sampling. */
#define ECO_FIGURES_PER_DRAIN 64
void eco_marker_socket_drain(struct eco_marker_socket *s, struct eco_meter *m);
/* Close and remove the socket and its directory, and whatever the measured
 * program left in it, never following a symbolic link it planted. */
void eco_marker_socket_close(struct eco_marker_socket *s);

#endif
