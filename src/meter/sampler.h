/* The sampling clock: a timerfd on CLOCK_MONOTONIC with absolute, periodic
 * deadlines (start + k * interval), so sampling never drifts however long a
 * sample takes; expirations missed while busy are counted, not queued up. */
#ifndef ECO_METER_SAMPLER_H
#define ECO_METER_SAMPLER_H

#include <stdint.h>

#include "core/err.h"

struct eco_sampler {
    int fd;
    double interval_s;
    uint64_t ticks, missed;
};

/* First deadline at now + interval_s. */
int eco_sampler_start(struct eco_sampler *s, double interval_s, struct eco_err *err);
/* After poll() said fd is readable: number of deadlines passed (>= 1), 0 if
 * none (spurious). Counts deadlines beyond the first as missed. */
uint64_t eco_sampler_ack(struct eco_sampler *s);
/* Block until the next deadline. Returns deadlines passed, or 0 when a
 * signal interrupted the wait. */
uint64_t eco_sampler_wait(struct eco_sampler *s);
void eco_sampler_stop(struct eco_sampler *s);

#endif
