#!/bin/sh
# Replays the committed corpus of the sacct reader's harness
# (tests/fuzz/corpus/sacct, tests/fuzz/fuzz_sacct.c) through its standalone
# replayer (build/fuzz/replay_sacct, mk/sacct.mk). A crash or a broken
# invariant on any input fails.
set -u
cd "$ECOMETER_SRC"
corpus=tests/fuzz/corpus/sacct
n=$(ls "$corpus" | wc -l)
[ "$n" -ge 5 ] || { echo "corpus $corpus has only $n inputs"; exit 1; }
"$ECOMETER_BUILD/fuzz/replay_sacct" "$corpus" || { echo "FAIL: replay of $corpus"; exit 1; }
echo "ok: $n inputs of $corpus"
