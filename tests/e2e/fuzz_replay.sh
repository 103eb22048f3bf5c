#!/bin/sh
# Replays every committed fuzz corpus (tests/fuzz/corpus/NAME/) through its
# harness's standalone replayer (build/fuzz/replay_NAME, built by `make
# check`; mk/harden.mk). A crash or broken invariant on any input fails.
# ONNX and GGUF have their own replay tests.
set -u
cd "$ECOMETER_SRC"
B="$ECOMETER_BUILD"
fail=0
for name in tsv hw_table carbon_table duration markers http listen procfs series; do
    corpus="tests/fuzz/corpus/$name"
    [ -d "$corpus" ] || { echo "no corpus $corpus"; fail=1; continue; }
    n=$(ls "$corpus" | wc -l)
    [ "$n" -ge 5 ] || { echo "corpus $corpus has only $n inputs"; fail=1; }
    if ! "$B/fuzz/replay_$name" "$corpus"; then
        echo "FAIL: replay of $corpus"
        fail=1
    fi
done
exit $fail
