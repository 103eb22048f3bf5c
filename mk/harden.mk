# Hardening (issue 7): libFuzzer harnesses for the readers of outside input,
# their replayers, and the fault suite's helpers.
#
# - `make check` builds build/fuzz/replay_NAME for each harness below (the
#   harness + tests/fuzz/replay_main.c, with the normal compiler and flags)
#   and tests/e2e/fuzz_replay.sh replays tests/fuzz/corpus/NAME/* through it.
# - `make fuzz` builds the libFuzzer binaries build/fuzz/fuzz_NAME with clang
#   (-fsanitize=fuzzer,address,undefined, the library instrumented for
#   coverage); bench/fuzz SECONDS runs each for SECONDS.
# The ONNX and GGUF harnesses have their own rules (mk/onnx.mk, mk/gguf.mk).
HARDEN_FUZZ := tsv hw_table carbon_table duration markers http listen procfs series

HARDEN_REPLAY := $(patsubst %,build/fuzz/replay_%,$(HARDEN_FUZZ))

build/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c tests/fuzz/fuzz_util.h build/libecometer.a
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c build/libecometer.a $(LDLIBS)

TEST_DEPS += $(HARDEN_REPLAY)

FUZZ_CC     ?= clang
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Iinclude -Isrc -Itests -Ibuild/gen -g -O1 \
               -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_OBJ    := $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC)) \
               $(patsubst build/gen/%.c,build/fuzz/obj/gen/%.o,$(GEN_SRC))

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -DECO_VERSION='"$(VERSION)"' -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/libecometer-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h build/fuzz/libecometer-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
	  build/fuzz/libecometer-fuzz.a $(LDLIBS)

HARDEN_FUZZERS := $(patsubst %,build/fuzz/fuzz_%,$(HARDEN_FUZZ))

fuzz: $(HARDEN_FUZZERS)

.PHONY: fuzz
