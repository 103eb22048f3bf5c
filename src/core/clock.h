/* The one monotonic clock of ecometer: every time stamp of a reading, every
 * sampling deadline and every timeout is measured against CLOCK_MONOTONIC,
 * which never jumps when the wall clock is set. */
#ifndef ECO_CORE_CLOCK_H
#define ECO_CORE_CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double eco_monotonic_s(void);

#endif
