#!/bin/bash
# make install into a DESTDIR, then run every installed piece from there:
# the binary (and serve/top through the installed ecometer-full, found
# relative to the binary), the man pages (groff -ww: no warning; each has
# EXAMPLES, EXIT STATUS, ENVIRONMENT, FILES), the README's C example built with
# pkg-config against the installed header and libecometer.so, the shared
# library's exported symbols (exactly the ECO_API functions of ecometer.h),
# the Python module, the bash and zsh completions (syntax, and one
# completion); then make uninstall must leave no file behind.
set -u
src=${ECOMETER_SRC:?}
tmp=${ECO_TEST_TMPDIR:-$(mktemp -d)}
fail() { echo "FAIL: $*"; exit 1; }
command -v groff >/dev/null || { echo "SKIP: groff is not installed"; exit 77; }
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is not installed"; exit 77; }

root=$tmp/root
rm -rf "$root"
make -s --no-print-directory -C "$src" install DESTDIR="$root" > "$tmp/install.log" 2>&1 ||
    fail "make install: $(tail -5 "$tmp/install.log")"
# Asked of a make of its own (no MAKEFLAGS): under `make check-sanitize` the
# inherited flags made it print "make[2]: Entering directory" into this
# answer even with --no-print-directory. It builds nothing, so the
# sanitizer flags it drops do not matter here.
prefix=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$src" -f Makefile -f - print-prefix <<'EOF' 2>/dev/null
print-prefix: ; @echo $(PREFIX) $(LIBDIR) $(PYTHONDIR) $(MANDIR) $(BASHCOMPDIR) $(ZSHCOMPDIR) $(LIBEXECDIR)
EOF
)
read -r PREFIX LIBDIR PYTHONDIR MANDIR BASHCOMPDIR ZSHCOMPDIR LIBEXECDIR <<< "$prefix"
[ -n "${LIBEXECDIR:-}" ] || fail "could not read the install directories from make"
P=$root$PREFIX
version=$(cat "$src/VERSION")

# The binary, from the installed tree.
[ "$("$P/bin/ecometer" version)" = "ecometer $version" ] || fail "installed ecometer version"
[ -x "$root$LIBEXECDIR/ecometer/ecometer-full" ] || fail "ecometer-full not in LIBEXECDIR/ecometer"
# serve/top hand over to ecometer-full: found through ../libexec beside the binary.
"$P/bin/ecometer" help top | grep -q '^usage: ecometer top' || fail "installed 'ecometer help top'"
"$P/bin/ecometer" serve --help | grep -q '^usage: ecometer serve' || fail "installed 'ecometer serve --help'"
# Commands that neither serve HTTP nor draw curses do not load those libraries.
needed=$(readelf -d "$P/bin/ecometer" | grep NEEDED)
echo "$needed" | grep -Eq 'microhttpd|gnutls|ncurses|tinfo' && fail "ecometer links UI libraries: $needed"
# SQLite is loaded when the history is first used (src/cli/sqlite_lazy.c), not at start.
echo "$needed" | grep -q 'sqlite' && fail "ecometer links libsqlite3 at start: $needed"
readelf -d "$root$LIBEXECDIR/ecometer/ecometer-full" | grep -q 'libmicrohttpd' || fail "ecometer-full without libmicrohttpd"

# The history through the installed binary (SQLite is loaded on first use).
fix=$src/tests/fixtures/intel-2s-server
ECOMETER_SYSFS_ROOT=$fix/sys ECOMETER_PROC_ROOT=$fix/proc "$P/bin/ecometer" run --db "$tmp/h.db" --quiet -- true ||
    fail "installed ecometer run with a history"
[ "$("$P/bin/ecometer" runs --db "$tmp/h.db" --format csv | grep -c ',run,')" = 1 ] || fail "the run is not in the history"

# The agent's unit names the installed binary and docs.
unit=$(find "$root" -name ecometer.service)
[ -n "$unit" ] || fail "no ecometer.service installed"
grep -q "^ExecStart=$PREFIX/bin/ecometer serve " "$unit" || fail "unit: $(grep ExecStart "$unit")"
doc=$(sed -n 's|^Documentation=file://||p' "$unit")
[ -f "$root$doc" ] || fail "the unit's Documentation= ($doc) is not installed"

# Man pages: one per command and ecometer(1), clean under groff -ww.
n_cmd=$("$P/bin/ecometer" --help | awk '/^commands:/{on=1; next} on&&/^  [a-z]/{n++} on&&/^$/{exit} END{print n}')
n_man=$(ls "$root$MANDIR/man1"/ecometer*.1 | wc -l)
[ "$n_man" -eq $((n_cmd + 1)) ] || fail "$n_man man pages for $n_cmd commands (+ ecometer.1)"
for page in "$root$MANDIR/man1"/ecometer*.1; do
    warn=$(groff -ww -z -man "$page" 2>&1)
    [ -z "$warn" ] || fail "groff warns on $(basename "$page"): $warn"
    for sec in NAME SYNOPSIS DESCRIPTION EXAMPLES "EXIT STATUS" ENVIRONMENT FILES; do
        grep -q "^\.SH $sec\$" "$page" || fail "$(basename "$page") has no $sec section"
    done
done
# Each page says what --help says: every option of `help run` is in ecometer-run(1).
for opt in $("$P/bin/ecometer" help run | grep -Eo '^  --[a-z-]+'); do
    grep -q -- "${opt//-/\\\\-}" "$root$MANDIR/man1/ecometer-run.1" || fail "ecometer-run.1 lacks $opt"
done
if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$root$MANDIR/man1/ecometer-run.1" 2>&1 | grep -q 'EXIT STATUS' || fail "man -l ecometer-run.1"
fi

# The shared library: soname, and only the header's functions exported.
so=$root$LIBDIR/libecometer.so
[ "$(readlink "$so")" = "libecometer.so.0" ] || fail "libecometer.so -> $(readlink "$so")"
readelf -d "$so" | grep -q 'SONAME.*\[libecometer.so.0\]' || fail "soname is not libecometer.so.0"
exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDRBW]$/ {print $3}' | sort)
declared=$(grep -Eo '^ECO_API [^(]*\(' "$root$PREFIX/include/ecometer.h" | grep -Eo '[a-z_]+\($' | tr -d '(' | sort)
[ -n "$declared" ] || fail "no ECO_API function in the installed header"
[ "$exported" = "$declared" ] || fail "exported symbols differ from ecometer.h: $(diff <(echo "$exported") <(echo "$declared") | tr '\n' ' ')"

# The README's C example, built with pkg-config against the installed tree.
awk '/^    \/\* app.c \*\//{on=1} on{print substr($0,5)} on&&/^    }$/{exit}' "$src/README.md" > "$tmp/app.c"
grep -q 'eco_session_start' "$tmp/app.c" || fail "no C example found in README.md"
flags=$(PKG_CONFIG_PATH=$root$LIBDIR/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root pkg-config --cflags --libs ecometer) ||
    fail "pkg-config ecometer"
san=""  # under make check-sanitize the library needs the sanitizer runtimes first
[ "${ECO_SANITIZE:-}" = 1 ] && san="-fsanitize=address,undefined"
cc -std=c11 -Wall -Werror $san -o "$tmp/app" "$tmp/app.c" $flags > "$tmp/cc.log" 2>&1 || fail "cc app.c $flags: $(cat "$tmp/cc.log")"
LD_LIBRARY_PATH=$root$LIBDIR ldd "$tmp/app" | grep -q "libecometer.so.0 => $root" || fail "app does not load the installed libecometer.so.0"
ECOMETER_DB=$tmp/app-history.db ECOMETER_SYSFS_ROOT=$fix/sys ECOMETER_PROC_ROOT=$fix/proc LD_LIBRARY_PATH=$root$LIBDIR \
    "$tmp/app" > "$tmp/app.out" 2>&1 || fail "the README's C example failed: $(cat "$tmp/app.out")"
grep -q ' J, ' "$tmp/app.out" || fail "app printed: $(cat "$tmp/app.out")"
[ -s "$tmp/app-history.db" ] || fail "the C API session was not stored in ECOMETER_DB"

# The Python module, from the installed files only.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
where=$(cd "$tmp" && PYTHONPATH=$root$PYTHONDIR "$py" -c 'import ecometer; print(ecometer.__file__)') || fail "import ecometer"
case $where in "$root$PYTHONDIR"/ecometer/*) ;; *) fail "ecometer imported from $where";; esac
# ... measuring a window in-process with the installed libecometer.so.0, found on the library path.
pre=""  # under make check-sanitize: the library's sanitizer runtimes first, Python's leaks not ours
[ "${ECO_SANITIZE:-}" = 1 ] && pre=$(ldd "$root$LIBDIR/libecometer.so.0" | awk '/asan|ubsan|clang_rt/ {print $3}' | tr '\n' ' ')
got=$(cd "$tmp" && LD_PRELOAD=$pre ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 ECOMETER_DB=$tmp/py-history.db \
      ECOMETER_SYSFS_ROOT=$fix/sys ECOMETER_PROC_ROOT=$fix/proc \
      LD_LIBRARY_PATH=$root$LIBDIR PYTHONPATH=$root$PYTHONDIR "$py" -c '
import ecometer
w = ecometer.measure(sum, range(10))
print(w.value, w.source, w.energy_j is not None, ecometer.runs()[0]["command"])' 2>&1) || fail "python window: $got"
[ "$got" = "45 session True python: sum(range(0, 10))" ] || fail "python window from the installed tree: $got"

# Completions: syntax, and bash completing "ecometer ru" and "run --for".
bash -n "$root$BASHCOMPDIR/ecometer" || fail "bash -n on the bash completion"
got=$(bash -c 'source "$1"; COMP_WORDS=(ecometer ru); COMP_CWORD=1; _ecometer; echo "${COMPREPLY[*]}"' _ "$root$BASHCOMPDIR/ecometer")
[ "$got" = "run runs" ] || fail "bash completion of 'ecometer ru': '$got'"
got=$(bash -c 'source "$1"; COMP_WORDS=(ecometer run --format ""); COMP_CWORD=3; _ecometer; echo "${COMPREPLY[*]}"' _ "$root$BASHCOMPDIR/ecometer")
[ "$got" = "text json csv" ] || fail "bash completion of 'ecometer run --format': '$got'"
if command -v zsh >/dev/null; then
    zsh -n "$root$ZSHCOMPDIR/_ecometer" || fail "zsh -n on the zsh completion"
else
    echo "note: zsh not installed, its completion was not syntax-checked"
fi

# Uninstall: nothing left but empty directories.
make -s --no-print-directory -C "$src" uninstall DESTDIR="$root" > "$tmp/uninstall.log" 2>&1 || fail "make uninstall: $(tail -5 "$tmp/uninstall.log")"
left=$(find "$root" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "installed into $root$PREFIX, ran, and uninstalled ($n_man man pages)"
exit 0
