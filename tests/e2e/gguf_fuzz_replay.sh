#!/bin/sh
# Replays the committed GGUF fuzz corpus through the fuzz entry point
# (build/fuzz_gguf_replay, built by mk/gguf.mk): a crash or abort fails.
set -e
bin="${ECOMETER_BUILD:-build}/fuzz_gguf_replay"
if [ ! -x "$bin" ]; then
    echo "skip: $bin not built (make test-deps)"
    exit 77
fi
exec "$bin" tests/fuzz/corpus/gguf
