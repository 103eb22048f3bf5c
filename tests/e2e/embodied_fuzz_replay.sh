#!/bin/sh
# Replays the committed corpus of the embodied-table harness
# (tests/fuzz/corpus/embodied_table/, seeds from tests/fuzz/make_embodied_seeds.py)
# through its standalone replayer; a crash or broken invariant fails.
set -u
cd "$ECOMETER_SRC"
corpus=tests/fuzz/corpus/embodied_table
n=$(ls "$corpus" | wc -l)
[ "$n" -ge 5 ] || { echo "corpus $corpus has only $n inputs"; exit 1; }
exec "$ECOMETER_BUILD/fuzz/replay_embodied_table" "$corpus"
