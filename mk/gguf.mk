# GGUF reader: fuzz harness (tests/fuzz/fuzz_gguf.c).
# `make check` builds the standalone replayer, which tests/e2e/gguf_fuzz_replay.sh
# runs over the committed corpus; `make fuzz-gguf` runs libFuzzer for a while.
GGUF_FUZZ_SRC = src/model/gguf.c src/model/gguf_cost.c src/model/gguf_arch.c src/core/err.c src/core/safe_open.c

build/fuzz_gguf_replay: tests/fuzz/fuzz_gguf.c $(GGUF_FUZZ_SRC) src/model/gguf.h src/model/gguf_cost.h src/model/gguf_arch.h
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) $(LDFLAGS) -DECO_FUZZ_REPLAY -o $@ tests/fuzz/fuzz_gguf.c $(GGUF_FUZZ_SRC) -lm

TEST_DEPS += build/fuzz_gguf_replay

FUZZ_SECONDS ?= 60
build/fuzz/fuzz_gguf: tests/fuzz/fuzz_gguf.c $(GGUF_FUZZ_SRC) src/model/gguf.h src/model/gguf_cost.h src/model/gguf_arch.h
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -Isrc -Iinclude -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -o $@ tests/fuzz/fuzz_gguf.c $(GGUF_FUZZ_SRC) -lm

# New inputs go to build/fuzz/corpus-gguf (the committed corpus stays small).
fuzz-gguf: build/fuzz/fuzz_gguf
	@mkdir -p build/fuzz/corpus-gguf
	build/fuzz/fuzz_gguf -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=5 \
	  build/fuzz/corpus-gguf tests/fuzz/corpus/gguf

.PHONY: fuzz-gguf

# Optional: huggingface.js's GGUF parser (npm @huggingface/gguf, pinned), an independent reader
# that tests/e2e/gguf_hf_crosscheck.py compares ecometer with (skipped while absent).
GGUF_HF_VERSION = 0.4.6
npm-test-deps:
	npm install --prefix build/npm --no-audit --no-fund --no-save @huggingface/gguf@$(GGUF_HF_VERSION)

.PHONY: npm-test-deps
