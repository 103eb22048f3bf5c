#!/bin/sh
# Replays the committed ONNX fuzz corpus through the reader and shape
# inference (the libFuzzer entry point, built with the normal compiler).
set -e
bin="$ECOMETER_BUILD/fuzz_onnx_replay"
[ -x "$bin" ] || { echo "skip: $bin not built (make test-deps)"; exit 77; }
exec "$bin" "$ECOMETER_SRC/tests/fuzz/corpus/onnx"
