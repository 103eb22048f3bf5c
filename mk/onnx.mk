# ONNX reader: fuzz harness (tests/fuzz/fuzz_onnx.c).
# `make check` builds the replayer with the normal compiler and replays the
# committed corpus (tests/e2e/onnx_fuzz_replay.sh); `make fuzz-onnx` builds
# the libFuzzer binary with clang (-fsanitize=fuzzer,address,undefined).
MODEL_SRC := src/model/pb.c src/model/arena.c src/model/onnx.c src/model/op_table.c \
  src/model/shape_infer.c src/model/shape_util.c $(sort $(wildcard src/model/ops_*.c)) src/core/err.c \
  src/core/safe_open.c src/core/sigbus_guard.c

build/fuzz_onnx_replay: tests/fuzz/fuzz_onnx.c build/libecometer.a
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) -o $@ tests/fuzz/fuzz_onnx.c build/libecometer.a $(LDLIBS)

build/fuzz_onnx: tests/fuzz/fuzz_onnx.c $(MODEL_SRC)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -DECO_LIBFUZZER -Iinclude -Isrc -g -O1 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ tests/fuzz/fuzz_onnx.c $(MODEL_SRC) -lm

fuzz-onnx: build/fuzz_onnx

TEST_DEPS += build/fuzz_onnx_replay

.PHONY: fuzz-onnx
