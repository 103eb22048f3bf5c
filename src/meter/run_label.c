/* A run's name, tags and project (see run_label.h). */
#include "meter/run_label.h"

#include <stdio.h>
#include <string.h>

/* The first control character (C0 or DEL) of s, or NULL. Bytes >= 0x80 are
 * let through: names may be UTF-8. */
static const char *control_char(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            return s + i;
    return NULL;
}

static int text_check(const char *what, const char *s, size_t n, size_t max, struct eco_err *err)
{
    if (n == 0) {
        eco_err_set(err, 2, "%s is empty", what);
        eco_err_hint(err, "give a word, e.g. %s teacher", what);
        return -1;
    }
    if (n > max) {
        eco_err_set(err, 2, "%s '%.*s...' is %zu bytes long; at most %zu", what, 24, s, n, max);
        eco_err_hint(err, "use a shorter %s", what);
        return -1;
    }
    const char *c = control_char(s, n);
    if (c) {
        eco_err_set(err, 2, "%s holds a control character (byte 0x%02x at %zu)", what, (unsigned char)*c,
                    (size_t)(c - s) + 1);
        eco_err_hint(err, "use printable characters only");
        return -1;
    }
    if (s[0] == ' ' || s[n - 1] == ' ') {
        eco_err_set(err, 2, "%s '%.*s' starts or ends with a space", what, (int)n, s);
        return -1;
    }
    return 0;
}

int eco_run_name_check(const char *what, const char *name, struct eco_err *err)
{
    if (!name)
        return eco_err_set(err, 2, "%s needs a value", what);
    if (text_check(what, name, strlen(name), ECO_RUN_NAME_MAX, err) != 0)
        return -1;
    if (strcmp(what, "--name") != 0)
        return 0;
    if (strchr(name, '~')) {
        eco_err_set(err, 2, "--name '%s' holds '~'", name);
        eco_err_hint(err, "'~' is kept for run arguments: NAME~1 is the run before the newest NAME");
        return -1;
    }
    if (strcmp(name, "latest") == 0) {
        eco_err_set(err, 2, "--name latest would hide the newest run's own reference 'latest'");
        eco_err_hint(err, "choose another name");
        return -1;
    }
    return 0;
}

int eco_run_tag_filter(const char *tag, char *out, struct eco_err *err)
{
    out[0] = '\0';
    if (eco_run_tags_add(out, tag, err) != 0)
        return -1;
    if (strchr(out, ',')) {
        eco_err_set(err, 2, "--tag '%s' holds ','", tag);
        eco_err_hint(err, "a run is selected by one tag: --tag %.*s", (int)strcspn(out, ","), out);
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int eco_run_tags_has(const char *tags, const char *tag)
{
    size_t n = strlen(tag);
    for (const char *p = tags; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, tag, n) == 0)
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int eco_run_tags_add(char *tags, const char *more, struct eco_err *err)
{
    char out[ECO_RUN_TAGS_MAX + 1];
    snprintf(out, sizeof out, "%s", tags);
    if (!more)
        return eco_err_set(err, 2, "--tag needs a value");
    for (const char *p = more;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        char tag[ECO_RUN_TAG_MAX + 1];
        if (text_check("--tag", p, len, ECO_RUN_TAG_MAX, err) != 0)
            return -1;
        snprintf(tag, sizeof tag, "%.*s", (int)len, p);
        if (!eco_run_tags_has(out, tag)) {
            size_t used = strlen(out);
            if (used + (used ? 1 : 0) + len > ECO_RUN_TAGS_MAX) {
                eco_err_set(err, 2, "too many tags: together at most %d bytes", ECO_RUN_TAGS_MAX);
                eco_err_hint(err, "use fewer or shorter tags");
                return -1;
            }
            snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", tag);
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    memcpy(tags, out, sizeof out);
    return 0;
}

int eco_run_label_set(struct eco_run_result *r, const char *name, const char *tags, const char *project,
                      struct eco_err *err)
{
    char t[ECO_RUN_TAGS_MAX + 1] = "";
    if ((name && eco_run_name_check("--name", name, err) != 0) ||
        (project && eco_run_name_check("--project", project, err) != 0) ||
        (tags && *tags && eco_run_tags_add(t, tags, err) != 0))
        return -1;
    if (name)
        snprintf(r->name, sizeof r->name, "%s", name);
    if (tags)
        memcpy(r->tags, t, sizeof r->tags);
    if (project)
        snprintf(r->project, sizeof r->project, "%s", project);
    return 0;
}
