/* Why a RAPL zone cannot be read, and the one fix that helps on this machine.
 * The texts look at what is there: whether the permission recipe of
 * docs/SECURITY.md is already applied (energy_uj group-readable by a group
 * other than root) and whether this user is in that group; whether the CPU
 * runs under a hypervisor, has TPMI RAPL, is Intel, AMD or neither. A fix
 * never repeats a recipe that is already applied and never proposes a module
 * that cannot help here (no intel_rapl_msr on a TPMI machine or in a VM).
 * The exact wording is pinned by tests/unit/test_sensors_rapl_access.c. */
#ifndef ECO_SENSORS_RAPL_ACCESS_H
#define ECO_SENSORS_RAPL_ACCESS_H

#include <stddef.h>

#include "core/err.h"
#include "sensors/rapl_zones.h"

/* Zone i failed with z[i].err: reason (what is wrong with that zone's file)
 * and fix (empty when nothing ecometer could say would help). The other
 * zones tell whether the recipe is applied elsewhere (a control type it
 * misses). */
void rapl_zone_texts(const struct rapl_zone *z, size_t nz, size_t i, char *reason, size_t rlen, char *fix,
                     size_t flen);

/* No RAPL zone at all: what (the powercap folder and what went wrong) is
 * the reason; the fix depends on the machine. */
void rapl_absent_texts(struct eco_err *why, const char *what);

#endif
