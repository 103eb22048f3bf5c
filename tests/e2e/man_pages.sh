#!/bin/bash
# The generated man pages and completions against their sources: every option
# `ecometer help CMD` lists is in ecometer-CMD(1) and in both completions, every
# ECOMETER_* variable the sources read is in tools/man/environment.tsv (the
# ENVIRONMENT sections), and regenerating gives the same files (no stale copy).
set -u
src=${ECOMETER_SRC:?}
bin=${ECOMETER_BIN:?}
build=$(dirname "$bin")
doc=$build/doc
tmp=${ECO_TEST_TMPDIR:-$(mktemp -d)}
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$doc/man/ecometer.1" ] || fail "no $doc/man/ecometer.1: 'make' did not generate the man pages"

cmds=$("$bin" --help | awk '/^commands:/{on=1; next} on&&/^  [a-z]/{print $1} on&&/^$/{exit}')
[ -n "$cmds" ] || fail "no command list in 'ecometer --help'"
for c in $cmds; do
    page=$doc/man/ecometer-$c.1
    [ -f "$page" ] || fail "no man page for $c"
    for opt in $("$bin" help "$c" | grep -Eo '^ {1,6}--[a-z][a-z-]*' | tr -d ' '); do
        grep -q -- "${opt//-/\\\\-}" "$page" || fail "ecometer-$c.1 lacks $opt"
        grep -q -- "^    $c) .*$opt" "$doc/completion/ecometer.bash" || fail "bash completion of $c lacks $opt"
        grep -q -- "^  $c) .*'$opt\[" "$doc/completion/_ecometer" || fail "zsh completion of $c lacks $opt"
    done
done

vars=$(grep -rhoE 'ECOMETER_[A-Z_]+' "$src/src" | sort -u)
for v in $vars; do
    grep -q "^$v	" "$src/tools/man/environment.tsv" || fail "$v is read by src/ but not in tools/man/environment.tsv"
done

python3 "$src/tools/gen_docs.py" "$bin" "$tmp/doc" || fail "tools/gen_docs.py"
diff -r "$doc/man" "$tmp/doc/man" > "$tmp/diff" || fail "build/doc/man is stale: $(head -5 "$tmp/diff")"
diff -r "$doc/completion" "$tmp/doc/completion" > "$tmp/diff" || fail "build/doc/completion is stale"
echo "$(echo $cmds | wc -w) commands: options in man pages and completions; $(echo $vars | wc -w) variables documented"
