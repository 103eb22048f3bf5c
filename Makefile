# ecometer build. `make` builds build/ecometer, build/libecometer.a and .so;
# `make check` builds and runs every test through one runner (tests/runner.c).
# Sources are found by wildcard so adding a module is adding a file; helpers
# with extra build rules put them in mk/*.mk (included at the end).

CC      ?= cc
CFLAGS  ?= -O2 -g
ECO_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude -Isrc -Itests -Ibuild/gen -fPIC \
             -fvisibility=hidden
# build/ecometer links only LDLIBS_CORE; serve and top (libmicrohttpd, ncursesw)
# live in build/ecometer-full, which ecometer execs for them (src/cli/ui_exec.c).
# Both executables load SQLite on first use (src/cli/sqlite_lazy.c), not at start.
LDLIBS_CORE = -lsqlite3 -lcjson -ldl -lm -lpthread
LDLIBS_UI   = -lmicrohttpd -lncursesw
LDLIBS  = $(LDLIBS_CORE) $(LDLIBS_UI)
VERSION = $(shell cat VERSION)

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -path 'src/cli/*'))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
DATA     := $(sort $(wildcard data/*.tsv))
GEN_SRC  := $(patsubst data/%.tsv,build/gen/data_%.c,$(DATA)) build/gen/carbon_builtin.c build/gen/hw_builtin.c
LIB_OBJ  := $(patsubst %.c,build/obj/%.o,$(LIB_SRC)) $(patsubst build/gen/%.c,build/obj/gen/%.o,$(GEN_SRC))
CLI_OBJ  := $(patsubst %.c,build/obj/%.o,$(CLI_SRC))
CLI_UI_OBJ   := build/obj/src/cli/cmd_serve.o build/obj/src/cli/cmd_top.o
CLI_STUB_OBJ := build/obj/src/cli/ui_exec.o
# The tests link every command (not main() nor the stand-ins of the main
# binary) so they can check each command's option table against its help.
CLI_TEST_OBJ := $(filter-out build/obj/src/cli/main.o build/obj/src/cli/sqlite_lazy.o $(CLI_STUB_OBJ),$(CLI_OBJ))
TEST_SRC := tests/runner.c $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(patsubst %.c,build/obj/%.o,$(TEST_SRC))

all: build/ecometer build/ecometer-full build/libecometer.a build/libecometer.so

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $<

# Each data table is compiled in as a C string so one binary works on an edge board.
build/gen/data_%.c: data/%.tsv build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed $< eco_data_$(subst -,_,$*) > $@

# The carbon table is also built at build time, by the run-time loader itself
# (tools/carbon_gen.c), so the binary starts without parsing it.
CARBON_GEN_OBJ := build/obj/src/carbon/intensity_load.o build/obj/src/core/tsv.o build/obj/src/core/numparse.o \
                  build/obj/src/core/safe_open.o build/obj/src/core/err.o build/obj/gen/data_carbon.o
build/tools/carbon_gen: tools/carbon_gen.c $(CARBON_GEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm

build/gen/carbon_builtin.c: build/tools/carbon_gen
	build/tools/carbon_gen > $@.tmp
	mv $@.tmp $@

# The GPU and CPU tables likewise (tools/hw_gen.c, with src/hw/hw_rows.c and
# src/hw/hw_index.c): rows checked and names indexed at build time.
HW_GEN_OBJ := build/obj/src/hw/hw_rows.o build/obj/src/hw/hw_index.o build/obj/src/hw/fuzzy.o \
              build/obj/src/core/edit_distance.o build/obj/src/core/tsv.o build/obj/src/core/safe_open.o build/obj/src/core/numparse.o \
              build/obj/src/core/err.o build/obj/gen/data_gpus.o build/obj/gen/data_cpus.o
build/tools/hw_gen: tools/hw_gen.c $(HW_GEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm

build/gen/hw_builtin.c: build/tools/hw_gen
	build/tools/hw_gen > $@.tmp
	mv $@.tmp $@

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CPPFLAGS) -DECO_VERSION='"$(VERSION)"' $(CFLAGS) -MMD -MP -c -o $@ $<

# The two files that print ECO_VERSION are rebuilt when VERSION changes.
build/obj/src/cli/dispatch.o build/obj/src/render/report_html.o: VERSION

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/libecometer.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Versioned shared library (soname libecometer.so.0); only the functions of
# include/ecometer.h are exported (ECO_API, -fvisibility=hidden). The agent and
# the curses screen are not part of the C API, so it needs neither library.
SO_MAJOR = 0
SO_OBJ   := $(filter-out build/obj/src/serve/% build/obj/src/render/tui.o,$(LIB_OBJ))
build/libecometer.so.$(VERSION): $(SO_OBJ)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libecometer.so.$(SO_MAJOR) -Wl,-z,defs -Wl,--as-needed \
	  -o $@ $^ $(LDLIBS_CORE)

build/libecometer.so: build/libecometer.so.$(VERSION)
	ln -sf libecometer.so.$(VERSION) build/libecometer.so.$(SO_MAJOR)
	ln -sf libecometer.so.$(VERSION) $@

build/ecometer: $(filter-out $(CLI_UI_OBJ),$(CLI_OBJ)) build/libecometer.a
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(filter-out -lsqlite3,$(LDLIBS_CORE))

build/ecometer-full: $(filter-out $(CLI_STUB_OBJ),$(CLI_OBJ)) build/libecometer.a
	$(CC) $(LDFLAGS) -o $@ $^ $(filter-out -lsqlite3,$(LDLIBS))

build/test_runner: $(TEST_OBJ) $(CLI_TEST_OBJ) build/libecometer.a
	$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(CLI_TEST_OBJ) build/libecometer.a $(LDLIBS)

# Extra artefacts the tests need (stand-in libraries, fuzz replayers...) are
# added to TEST_DEPS by mk/*.mk.
TEST_DEPS =

check: all build/test_runner test-deps
	build/test_runner

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer,
# in a copy of the tree (build/sanitize/) so the normal build is untouched.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The copy sits two levels deeper than the tree: tell the cross-check tests
# where the reference data of the original tree is (beside it or its parent).
SAN_REFERENCE = $(firstword $(realpath $(CURDIR)/../shared/reference $(CURDIR)/../../shared/reference))
check-sanitize:
	rm -rf build/sanitize && mkdir -p build/sanitize
	tar --exclude=./build --exclude=./.git -cf - . | tar -C build/sanitize -xf -
	ECO_SANITIZE=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ECOMETER_REFERENCE=$(SAN_REFERENCE) ECOMETER_REFERENCE_DIR=$(SAN_REFERENCE) \
	  $(MAKE) -C build/sanitize check CFLAGS="$(SAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined"

clean:
	rm -rf build

-include $(wildcard mk/*.mk)

test-deps: $(TEST_DEPS)

.PHONY: all check check-sanitize clean test-deps
-include $(shell find build/obj -name '*.d' 2>/dev/null)
