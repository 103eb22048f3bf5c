/* RAPL zones -> domains (rules in rapl_names.h). */
#include "sensors/rapl_names.h"

#include <stdio.h>
#include <string.h>

static enum eco_kind kind_of(const char *name)
{
    if (strncmp(name, "package", 7) == 0)
        return ECO_KIND_CPU_PACKAGE;
    if (strcmp(name, "core") == 0)
        return ECO_KIND_CPU_CORE;
    if (strcmp(name, "uncore") == 0)
        return ECO_KIND_CPU_UNCORE;
    if (strcmp(name, "dram") == 0)
        return ECO_KIND_DRAM;
    int s, d;
    if (strcmp(name, "psys") == 0 || (strncmp(name, "psys-", 5) == 0 && rapl_zone_socket(name, &s, &d)))
        return ECO_KIND_PLATFORM;
    return ECO_KIND_OTHER;
}

/* "socket 0" or "socket 0, die 1" */
static void where(int socket, int die, char *buf, size_t len)
{
    if (die >= 0)
        snprintf(buf, len, "socket %d, die %d", socket, die);
    else
        snprintf(buf, len, "socket %d", socket);
}

void rapl_zone_domain(const struct rapl_zone *z, size_t i, const char *model, struct eco_domain *dm)
{
    const struct rapl_zone *zi = &z[i];
    dm->kind = kind_of(zi->name);
    /* The package a sub-zone belongs to gives its socket and its name's suffix. */
    int socket = -1, die = -1;
    const char *pkg = NULL;
    if (zi->up >= 0 && rapl_zone_socket(z[zi->up].name, &socket, &die) &&
        strncmp(z[zi->up].name, "package-", 8) == 0)
        pkg = z[zi->up].name + 8;
    else if (!rapl_zone_socket(zi->name, &socket, &die))
        socket = die = -1;
    if (pkg)
        snprintf(dm->name, sizeof dm->name, "%.30s-%.30s", zi->name, pkg);
    else
        snprintf(dm->name, sizeof dm->name, "%.60s", zi->name);
    char at[48];
    where(socket, die, at, sizeof at);
    switch (dm->kind) {
    case ECO_KIND_PLATFORM:
        if (socket > 0)
            snprintf(dm->device, sizeof dm->device, "platform of %s (psys)", at);
        else
            snprintf(dm->device, sizeof dm->device, "platform (psys: SoC, memory and more)");
        break;
    case ECO_KIND_DRAM:
        if (socket >= 0)
            snprintf(dm->device, sizeof dm->device, "memory of %s", at);
        else
            snprintf(dm->device, sizeof dm->device, "memory");
        break;
    case ECO_KIND_OTHER: /* completed by rapl_assign_parents, which knows whether it is counted */
        snprintf(dm->device, sizeof dm->device, "RAPL zone %.40s (%.30s): kind unknown", zi->id, zi->name);
        break;
    default:
        if (socket >= 0)
            snprintf(dm->device, sizeof dm->device, "%.80s (%.40s)", model, at);
        else
            snprintf(dm->device, sizeof dm->device, "%.120s", model);
    }
}

static void append(char *note, size_t len, const char *text)
{
    size_t l = strlen(note);
    if (l + 3 < len)
        snprintf(note + l, len - l, "%s%s", l ? "; " : "", text);
}

/* The kept domain of zone zi, or -1. */
static int domain_of(const size_t *zone_of, size_t nk, int zi)
{
    for (size_t k = 0; k < nk; k++)
        if ((int)zone_of[k] == zi)
            return (int)k;
    return -1;
}

/* The socket a top-level domain belongs to (from its zone's name, or its
 * package's for a dram sub-zone), or -1. */
static int socket_of(const struct rapl_zone *z, size_t zi)
{
    int s, d;
    if (rapl_zone_socket(z[zi].name, &s, &d))
        return s;
    if (z[zi].up >= 0 && rapl_zone_socket(z[z[zi].up].name, &s, &d))
        return s;
    return -1;
}

/* With psys zones, every other top-level domain is inside one: the only
 * psys, or, with one psys-P per socket, the one of its socket ("psys" alone
 * is socket 0's). */
static void inside_psys(const struct rapl_zone *z, const size_t *zone_of, struct eco_domain *dm, size_t nk)
{
    int first = -1, count = 0;
    for (size_t k = 0; k < nk; k++)
        if (dm[k].kind == ECO_KIND_PLATFORM) {
            count++;
            if (first < 0)
                first = (int)k;
        }
    if (count == 0)
        return;
    for (size_t k = 0; k < nk; k++) {
        if (dm[k].kind == ECO_KIND_PLATFORM || dm[k].parent >= 0)
            continue;
        if (count == 1) {
            dm[k].parent = first;
            continue;
        }
        int s = socket_of(z, zone_of[k]);
        for (size_t p = 0; p < nk && s >= 0; p++) {
            int ps = socket_of(z, zone_of[p]);
            if (dm[p].kind == ECO_KIND_PLATFORM && (ps == s || (ps < 0 && s == 0)))
                dm[k].parent = (int)p;
        }
    }
}

void rapl_assign_parents(const struct rapl_zone *z, const size_t *zone_of, struct eco_domain *dm, size_t nk,
                         char *note, size_t len)
{
    for (size_t k = 0; k < nk; k++) {
        dm[k].parent = -1;
        int up = domain_of(zone_of, nk, z[zone_of[k]].up);
        /* core and uncore are parts of the package's energy; dram is not. */
        if (up >= 0 && (dm[k].kind == ECO_KIND_CPU_CORE || dm[k].kind == ECO_KIND_CPU_UNCORE ||
                        dm[k].kind == ECO_KIND_OTHER))
            dm[k].parent = up;
    }
    inside_psys(z, zone_of, dm, nk);
    for (size_t k = 0; k < nk; k++) {
        if (dm[k].kind != ECO_KIND_OTHER)
            continue;
        char text[256];
        size_t l = strlen(dm[k].device);
        snprintf(dm[k].device + l, sizeof dm[k].device - l, ", %s",
                 dm[k].parent >= 0 ? "not in the total (inside the zone named)" : "counted in the total on its own");
        if (dm[k].parent >= 0)
            snprintf(text, sizeof text, "zone '%.40s' (%.40s) is not a kind ecometer knows: listed inside %.60s, "
                     "not added to the total", z[zone_of[k]].name, z[zone_of[k]].id, dm[dm[k].parent].name);
        else
            snprintf(text, sizeof text, "zone '%.40s' (%.40s) is not a kind ecometer knows: added to the total "
                     "as a zone of its own, as the kernel lists it beside the packages, not inside one",
                     z[zone_of[k]].name, z[zone_of[k]].id);
        append(note, len, text);
    }
}
