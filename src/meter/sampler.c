/* timerfd-based sampling clock (see sampler.h). */
#include "meter/sampler.h"
#include "core/clock.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static struct timespec to_ts(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)floor(s);
    ts.tv_nsec = (long)((s - floor(s)) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

int eco_sampler_start(struct eco_sampler *s, double interval_s, struct eco_err *err)
{
    memset(s, 0, sizeof *s);
    s->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (s->fd < 0)
        return eco_err_set(err, 1, "cannot create the sampling timer: %s", strerror(errno));
    s->interval_s = interval_s;
    struct itimerspec its;
    its.it_interval = to_ts(interval_s);
    its.it_value = to_ts(eco_monotonic_s() + interval_s);
    if (timerfd_settime(s->fd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
        int e = errno;
        close(s->fd);
        s->fd = -1;
        return eco_err_set(err, 1, "cannot arm the sampling timer: %s", strerror(e));
    }
    return 0;
}

uint64_t eco_sampler_ack(struct eco_sampler *s)
{
    uint64_t n = 0;
    if (read(s->fd, &n, sizeof n) != (ssize_t)sizeof n)
        return 0;
    s->ticks += n;
    if (n > 1)
        s->missed += n - 1;
    return n;
}

uint64_t eco_sampler_wait(struct eco_sampler *s)
{
    for (;;) {
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        int r = poll(&p, 1, -1);
        if (r < 0)
            return 0; /* EINTR: the caller checks why it was woken */
        uint64_t n = eco_sampler_ack(s);
        if (n)
            return n;
    }
}

void eco_sampler_stop(struct eco_sampler *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}
