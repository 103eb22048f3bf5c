/* A run's label: its name, tags and project (issue 13). Checked here once
 * for every way in (run/monitor flags, the C API, the history's filters), so
 * a name stored in the history can always be typed back as a RUN argument:
 *   name, project: 1..ECO_RUN_NAME_MAX bytes, no control characters, no
 *                  leading or trailing space; a name also has no '~' (RUN
 *                  arguments use name~N for the Nth run before) and is not
 *                  "latest" (the newest run, whatever its name);
 *   tags:          comma-separated, each 1..ECO_RUN_TAG_MAX bytes, no control
 *                  characters; spaces around a tag are dropped, a repeated
 *                  tag is kept once; all of them at most ECO_RUN_TAGS_MAX. */
#ifndef ECO_METER_RUN_LABEL_H
#define ECO_METER_RUN_LABEL_H

#include <stddef.h>

#include "core/err.h"
#include "meter/result.h"

#define ECO_RUN_TAG_MAX 32

/* 0, or -1 with err (code 2) naming what is wrong; `what` is the option
 * ("--name", "--project") for the message. */
int eco_run_name_check(const char *what, const char *name, struct eco_err *err);
/* Add the comma-separated tags in `more` to the list in tags (room for
 * ECO_RUN_TAGS_MAX + 1 bytes); 0, or -1 with err (code 2), tags unchanged. */
int eco_run_tags_add(char *tags, const char *more, struct eco_err *err);
/* One tag, as a filter (`runs --tag T`, `runs prune --tag T`): the rule,
 * messages and trimming of eco_run_tags_add, and a single tag (no ','),
 * into out (room: ECO_RUN_TAGS_MAX + 1). 0, or -1 with err (code 2). */
int eco_run_tag_filter(const char *tag, char *out, struct eco_err *err);
/* 1 if the comma-separated list has this tag. */
int eco_run_tags_has(const char *tags, const char *tag);
/* Check and set all three on a record (NULL: leave that one as it is); on
 * error nothing is changed. */
int eco_run_label_set(struct eco_run_result *r, const char *name, const char *tags, const char *project,
                      struct eco_err *err);

#endif
