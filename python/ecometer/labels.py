"""Run labels of a standalone window (run_name, tags, project): checked here,
before anything is measured, by the rules of the C library's labels
(src/meter/run_label.c, include/ecometer.h eco_session_set_label), so that a
bad label is a ValueError and not a stored run without its label. The
library checks again when it sets them."""

NAME_MAX, TAG_MAX, TAGS_MAX, PROJECT_MAX = 64, 32, 255, 64


def _text(what, v, most):
    if not isinstance(v, str):
        raise TypeError("%s must be a str, not %s" % (what, type(v).__name__))
    b = v.encode("utf-8")
    if not b:
        raise ValueError("%s is empty; give a word, e.g. %s=%r" % (what, what, "teacher"))
    if len(b) > most:
        raise ValueError("%s %r is %d bytes long; at most %d" % (what, v[:24], len(b), most))
    bad = [c for c in v if ord(c) < 0x20 or ord(c) == 0x7f]
    if bad:
        raise ValueError("%s holds a control character (%r); use printable characters only" % (what, bad[0]))
    if v[0] == " " or v[-1] == " ":
        raise ValueError("%s %r starts or ends with a space" % (what, v))
    return v


def check(run_name=None, tags=None, project=None):
    """(name, "tag1,tag2", project) as the C API takes them (None: not set),
    or ValueError/TypeError saying what is wrong. tags: a str ("kd" or
    "kd,reid") or an iterable of str."""
    if run_name is not None:
        _text("run_name", run_name, NAME_MAX)
        if "~" in run_name:
            raise ValueError("run_name %r holds '~', kept for run arguments (NAME~1 is the run before the "
                             "newest NAME)" % run_name)
        if run_name == "latest":
            raise ValueError("run_name 'latest' would hide the newest run's own reference 'latest'")
    joined = None
    if tags is not None:
        items = [t.strip() for t in tags.split(",")] if isinstance(tags, str) else list(tags)
        if not items:
            raise ValueError("tags is empty; give e.g. tags=['kd', 'reid'] or leave it out")
        for t in items:
            _text("tag", t, TAG_MAX)
            if "," in t:
                raise ValueError("tag %r holds a comma; give the tags as a list" % t)
        joined = ",".join(items)
        if len(joined.encode("utf-8")) > TAGS_MAX:
            raise ValueError("tags are %d bytes in all; at most %d" % (len(joined.encode("utf-8")), TAGS_MAX))
    if project is not None:
        _text("project", project, PROJECT_MAX)
    return run_name, joined, project
