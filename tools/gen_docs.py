#!/usr/bin/env python3
"""Man pages and shell completions generated from ecometer's own help.

    tools/gen_docs.py BINARY OUTDIR

runs `BINARY --help` and `BINARY help CMD` for every command it lists, and
writes OUTDIR/man/ecometer.1, OUTDIR/man/ecometer-CMD.1 (one per command),
OUTDIR/completion/ecometer.bash and OUTDIR/completion/_ecometer (zsh).

The help text is the one source: its usage lines become SYNOPSIS, its prose
DESCRIPTION (and NOTES after the options), its indented "term  text" lines
OPTIONS, its "ecometer ..." lines EXAMPLES. The README's example lines for the
command are added to EXAMPLES; EXIT STATUS comes from `ecometer --help`;
ENVIRONMENT and FILES come from tools/man/*.tsv (variables and paths are not
in the help texts; a test checks the table against the getenv() calls).
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)


def help_text(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True, check=False)
    if r.returncode != 0 or not r.stdout.strip():
        sys.exit("gen_docs: '%s %s' failed (%d): %s" % (binary, " ".join(args), r.returncode, r.stderr))
    return r.stdout


def commands_of(main_help):
    """[(name, summary)] from the 'commands:' block of `ecometer --help`."""
    out, inside = [], False
    for line in main_help.splitlines():
        if line.strip() == "commands:":
            inside = True
        elif inside and re.match(r"^  \S", line):
            name, summary = line.strip().split(None, 1)
            out.append((name, summary.strip()))
        elif inside and line.strip() == "":
            break
    return out


ENTRY = re.compile(r"^( {1,6})(\S(?:\S| (?! ))*)(?: {2,}(\S.*))?$")
EXAMPLE = re.compile(r"^\s+ecometer\s")
HEADING = re.compile(r"^[A-Za-z][^:]{0,50}:$")


def parse(text):
    """Split one command's help into usage lines and a list of blocks:
    ("prose", [lines]) ("entry", term, [text lines]) ("heading", text)
    ("example", [lines]) ("blank",)."""
    lines = text.rstrip("\n").splitlines()
    usage = []
    i = 0
    if lines and lines[0].startswith("usage: "):
        usage.append(lines[0][len("usage: "):].strip())
        i = 1
        while i < len(lines) and lines[i].startswith(" ") and lines[i].strip():
            usage.append(lines[i].strip())
            i += 1
    blocks, prev = [], "blank"
    in_example = False
    for line in lines[i:]:
        if not line.strip():
            blocks.append(("blank",))
            prev, in_example = "blank", False
            continue
        if in_example or EXAMPLE.match(line):
            text = ("    " if in_example else "") + line.strip()  # a continuation is indented
            if blocks and blocks[-1][0] == "example":
                blocks[-1][1].append(text)
            else:
                blocks.append(("example", [text]))
            in_example = line.rstrip().endswith("\\")
            prev = "example"
            continue
        m = ENTRY.match(line)
        if prev in ("entry", "heading") and blocks[-1][0] == "entry" and \
                len(line) - len(line.lstrip()) > len(blocks[-1][3]) + 2:
            blocks[-1][2].append(line.strip())  # continuation of the entry's text
            continue
        if m and (m.group(3) or m.group(2).startswith("-")):
            blocks.append(("entry", m.group(2), [m.group(3)] if m.group(3) else [], m.group(1)))
            prev = "entry"
            continue
        if HEADING.match(line) and prev in ("blank", "entry", "heading"):
            blocks.append(("heading", line[:-1]))
            prev = "heading"
            continue
        if blocks and blocks[-1][0] == "prose" and prev == "prose":
            blocks[-1][1].append(line.strip() if not line.startswith("  ") else line)
        else:
            blocks.append(("prose", [line]))
        prev = "prose"
    return usage, blocks


def roff(s):
    """Escape text for roff: backslashes, hyphens (minus signs in options and
    values), and a leading dot or quote, which would start a request."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    if s.startswith(".") or s.startswith("'"):
        s = "\\&" + s
    return s


def prose_roff(lines):
    out = []
    for l in lines:
        if l.startswith("  "):  # indented in the help: keep the line as it is
            out += [".br", roff(l.strip())]
        else:
            out.append(roff(l.strip()))
    return out


def load_tsv(name):
    rows = []
    with open(os.path.join(HERE, "man", name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, cmds, text = line.rstrip("\n").split("\t")
            rows.append((key, cmds.split(","), text))
    return rows


def readme_examples(cmd):
    """The README's indented example lines for `ecometer CMD` (with their
    backslash continuations); for the main page (cmd None), the first of each."""
    path = os.path.join(SRC, "README.md")
    out, firsts, cont = [], set(), False
    if not os.path.exists(path):
        return out
    pat = re.compile(r"^    ecometer (%s)(\s|$)" % (re.escape(cmd) if cmd else r"[a-z]+"))
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pat.match(line)
            if cont or (m and (cmd or m.group(1) not in firsts)):
                if m:
                    firsts.add(m.group(1))
                out.append(line.strip() if not cont else "    " + line.strip())
                cont = line.rstrip().endswith("\\")
    return out


def rows_for(table, cmd, help_text_):
    return [r for r in table if "*" in r[1] or cmd is None or cmd in r[1] or r[0] in help_text_]


def exit_status(main_help):
    m = re.search(r"Exit status: (.*)", main_help)
    items = []
    if m:
        for part in m.group(1).rstrip(".").split(","):
            code, text = part.strip().split(" ", 1)
            items.append((code, text))
    return items


def section_env_files(cmd, text, env, files):
    """ENVIRONMENT and FILES, always present (saying so when there is none)."""
    e = rows_for(env, cmd, text)
    out = [".SH ENVIRONMENT"]
    for key, _, desc in e:
        out += [".TP", "\\fB%s\\fR" % roff(key), roff(desc)]
    if not e:
        out.append("This command reads no environment variable of its own.")
    f = rows_for(files, cmd, text)
    out.append(".SH FILES")
    for key, _, desc in f:
        out += [".TP", "\\fI%s\\fR" % roff(key), roff(desc)]
    if not f:
        out.append("This command reads and writes no file of its own%s." %
                   (" (override files are named by the variables above)" if e else ""))
    return out


def examples_roff(examples):
    if not examples:
        return []
    out = [".SH EXAMPLES", ".nf", ".RS 4"]
    out += [roff(e) for e in examples]
    out += [".RE", ".fi"]
    return out


def body_roff(blocks):
    """DESCRIPTION (prose before the first option), OPTIONS, NOTES (prose
    after), and the examples found on the way."""
    desc, opts, notes, examples = [], [], [], []
    seen_option, pending_heading = False, None
    for b in blocks:
        kind = b[0]
        if kind == "example":
            examples += b[1]
            target = notes if seen_option else desc
            if target and target[-1].endswith(":"):  # "e.g. from a shell:" shows it in place
                target += [".nf", ".RS 4"] + [roff(e) for e in b[1]] + [".RE", ".fi"]
            continue
        if kind == "heading":
            pending_heading = b[1]
            continue
        if kind == "entry":
            is_opt = b[1].startswith("-")
            seen_option = seen_option or is_opt
            target = opts if is_opt else (notes if seen_option else desc)
            if pending_heading and pending_heading.lower() not in ("options", "example", "examples"):
                target += [".SS %s" % roff(pending_heading[0].upper() + pending_heading[1:])]
            pending_heading = None
            target += [".TP", "\\fB%s\\fR" % roff(b[1])] + [roff(t) for t in b[2]]
            continue
        if kind == "prose":
            target = notes if seen_option else desc
            if pending_heading and pending_heading.lower() not in ("example", "examples"):
                target += [".PP", roff(pending_heading + ":")]
            pending_heading = None
            target += [".PP"] + prose_roff(b[1])
    return desc, opts, notes, examples


def page(name, summary, usage, blocks, text, version, status, env, files, cmd, see_also):
    title = name.upper()
    out = ['.TH %s 1 "" "ecometer %s" "User Commands"' % (roff(title), version),
           ".SH NAME", "%s \\- %s" % (roff(name), roff(summary)), ".SH SYNOPSIS", ".nf"]
    out += ["\\fB%s\\fR" % roff(u) if i == 0 else roff(u) for i, u in enumerate(usage)]
    out += [".fi"]
    desc, opts, notes, examples = body_roff(blocks)
    out += [".SH DESCRIPTION"] + (desc if desc else [roff(summary[0].upper() + summary[1:]) + "."])
    if opts:
        out += [".SH OPTIONS"] + opts
    if notes:
        out += [".SH NOTES"] + notes
    out += [".SH EXIT STATUS"]
    for code, what in status:
        out += [".TP", "\\fB%s\\fR" % code, roff(what)]
    if cmd == "run":
        out += [".PP", "For \\fBrun\\fR, once the command has started, the command's own exit "
                "status (128+N if it was killed by signal N, 127 if it could not be found)."]
    readme = readme_examples(cmd) if cmd else []
    for e in readme:
        if e not in examples:
            examples.append(e)
    if not examples:  # the usage line itself, when it needs no argument
        bare = re.sub(r"\s*\[[^]]*\]", "", usage[0]).strip()
        if not re.search(r"[A-Z]{2,}", bare):
            examples.append(bare)
    out += examples_roff(examples)
    out += section_env_files(cmd, text, env, files)
    out += [".SH SEE ALSO", ", ".join("\\fB%s\\fR(1)" % roff(s) for s in see_also)]
    return "\n".join(out) + "\n"


def main_page(main_help, commands, version, status, env, files):
    lines = main_help.splitlines()
    usage = [lines[0][len("usage: "):]]
    prose = []
    for l in lines[1:]:
        if l.strip() == "commands:":
            break
        if l.strip():
            prose.append(l)
    out = ['.TH ECOMETER 1 "" "ecometer %s" "User Commands"' % version, ".SH NAME",
           "ecometer \\- energy and CO2e of AI training and inference", ".SH SYNOPSIS", ".nf",
           "\\fB%s\\fR" % roff(usage[0]), "\\fBecometer help\\fR [\\fICOMMAND\\fR]", ".fi",
           ".SH DESCRIPTION", ".PP"] + prose_roff(prose)
    after = main_help.split("commands:", 1)[1].split("\n\n", 1)
    out += [".SH COMMANDS"]
    for name, summary in commands:
        out += [".TP", "\\fBecometer\\-%s\\fR(1)" % roff(name), roff(summary)]
    if len(after) > 1:
        out += [".PP"] + prose_roff([l for l in after[1].splitlines()
                                     if l.strip() and not l.startswith("Exit status")])
    out += [".SH EXIT STATUS"]
    for code, what in status:
        out += [".TP", "\\fB%s\\fR" % code, roff(what)]
    out += examples_roff(readme_examples(None))
    out += section_env_files(None, "", env, files)
    out += [".SH SEE ALSO", ", ".join("\\fBecometer\\-%s\\fR(1)" % roff(n) for n, _ in commands)]
    return "\n".join(out) + "\n"


def options_of(usage, blocks):
    """[(option, argument or '', description)] of one command, from its
    entries and its usage lines."""
    out, seen = [], set()
    for b in blocks:
        if b[0] != "entry" or not b[1].startswith("-"):
            continue
        alts = [a.split(None, 1) for a in re.split(r",\s*|\s+\|\s+", b[1])]
        shared = alts[-1][1] if len(alts[-1]) > 1 else ""  # "-o, --output F": F is -o's too
        for parts in alts:
            opt = parts[0]
            if opt.startswith("-") and opt not in seen:
                seen.add(opt)
                arg = parts[1] if len(parts) > 1 else ("" if len(alts) == 1 else shared)
                out.append((opt, arg, " ".join(b[2])))
    for u in usage:
        for m in re.finditer(r"(--[a-z][a-z0-9-]*)(?:[ =]([A-Za-z|0-9._-]+))?", u):
            if m.group(1) not in seen:
                seen.add(m.group(1))
                arg = m.group(2) or ""
                out.append((m.group(1), "" if arg.startswith("-") else arg, ""))
    return out


def values_of(arg, desc):
    if "|" in arg:
        return [v for v in arg.split("|") if v and v.upper() != v]
    if arg in ("F", "FMT") and re.search(r"text.*json.*csv", desc):
        return ["text", "json", "csv"]
    return []


def is_file_arg(arg):
    return arg in ("FILE", "F") or arg.endswith("FILE")


def bash_completion(commands, per_cmd):
    out = ["# bash completion for ecometer; generated by tools/gen_docs.py from `ecometer help`.",
           "_ecometer()", "{",
           "    local cur prev cmd",
           "    cur=${COMP_WORDS[COMP_CWORD]}",
           "    prev=${COMP_WORDS[COMP_CWORD-1]}",
           "    if [ \"$COMP_CWORD\" -eq 1 ]; then",
           "        COMPREPLY=($(compgen -W \"%s help --help --version\" -- \"$cur\"))"
           % " ".join(n for n, _ in commands),
           "        return",
           "    fi",
           "    cmd=${COMP_WORDS[1]}",
           "    case \"$cmd\" in",
           "    help) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;"
           % " ".join(n for n, _ in commands),
           "    esac",
           "    case \"$cmd $prev\" in"]
    for name, opts in per_cmd:
        for opt, arg, desc in opts:
            vals = values_of(arg, desc)
            if vals:
                out.append("    \"%s %s\") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;"
                           % (name, opt, " ".join(vals)))
            elif is_file_arg(arg) or (opt == "-o"):
                out.append("    \"%s %s\") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;" % (name, opt))
    out += ["    esac", "    case \"$cmd\" in"]
    for name, opts in per_cmd:
        out.append("    %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;"
                   % (name, " ".join(o for o, _, _ in opts)))
    out += ["    esac",
            "    if [ ${#COMPREPLY[@]} -eq 0 ] && [[ $cur != -* ]]; then",
            "        COMPREPLY=($(compgen -f -- \"$cur\"))",
            "    fi",
            "}", "complete -o filenames -F _ecometer ecometer", ""]
    return "\n".join(out)


def zsh_quote(s):
    s = re.sub(r"[\[\]:'\\`$]", "", s)
    return s[:70]


def zsh_completion(commands, per_cmd):
    out = ["#compdef ecometer",
           "# zsh completion for ecometer; generated by tools/gen_docs.py from `ecometer help`.",
           "_ecometer() {",
           "  local -a commands",
           "  commands=("]
    out += ["    '%s:%s'" % (n, zsh_quote(s)) for n, s in commands]
    out += ["  )",
            "  if (( CURRENT == 2 )); then",
            "    _describe -t commands 'ecometer command' commands",
            "    return",
            "  fi",
            "  case $words[2] in",
            "  help) _describe -t commands 'ecometer command' commands ;;"]
    for name, opts in per_cmd:
        specs = []
        for opt, arg, desc in opts:
            d = zsh_quote(desc) or opt
            if not arg:
                specs.append("'%s[%s]'" % (opt, d))
                continue
            vals = values_of(arg, desc)
            action = "(%s)" % " ".join(vals) if vals else ("_files" if is_file_arg(arg) or opt == "-o" else " ")
            specs.append("'%s[%s]:%s:%s'" % (opt, d, zsh_quote(arg), action))
        specs.append("'*:argument:_files'")
        out.append("  %s) _arguments -s %s ;;" % (name, " ".join(specs)))
    out += ["  esac", "}", "", "_ecometer \"$@\"", ""]
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tools/gen_docs.py BINARY OUTDIR")
    binary, outdir = sys.argv[1], sys.argv[2]
    main_help = help_text(binary, "--help")
    version = help_text(binary, "version").split()[-1]
    commands = commands_of(main_help)
    if not commands:
        sys.exit("gen_docs: no command list in '%s --help'" % binary)
    status = exit_status(main_help)
    env, files = load_tsv("environment.tsv"), load_tsv("files.tsv")
    os.makedirs(os.path.join(outdir, "man"), exist_ok=True)
    os.makedirs(os.path.join(outdir, "completion"), exist_ok=True)
    per_cmd = []
    for name, summary in commands:
        text = help_text(binary, "help", name)
        usage, blocks = parse(text)
        per_cmd.append((name, options_of(usage, blocks)))
        see = ["ecometer"] + [n and "ecometer-" + n for n, _ in commands if n != name][:0]
        with open(os.path.join(outdir, "man", "ecometer-%s.1" % name), "w", encoding="utf-8") as f:
            f.write(page("ecometer-" + name, summary, usage, blocks, text, version, status, env,
                         files, name, see))
    with open(os.path.join(outdir, "man", "ecometer.1"), "w", encoding="utf-8") as f:
        f.write(main_page(main_help, commands, version, status, env, files))
    with open(os.path.join(outdir, "completion", "ecometer.bash"), "w", encoding="utf-8") as f:
        f.write(bash_completion(commands, per_cmd))
    with open(os.path.join(outdir, "completion", "_ecometer"), "w", encoding="utf-8") as f:
        f.write(zsh_completion(commands, per_cmd))


if __name__ == "__main__":
    main()
