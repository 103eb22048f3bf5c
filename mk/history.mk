# history helper: a test-only tool that stores synthetic runs in a history
# database for the e2e tests of runs/show/compare/export/report/top.
build/tests/eco_mkrun: tests/tools/eco_mkrun.c tests/unit/synthetic_run.c tests/unit/synthetic_run.h build/libecometer.a
	@mkdir -p $(dir $@)
	$(CC) $(ECO_CFLAGS) $(CFLAGS) -o $@ tests/tools/eco_mkrun.c tests/unit/synthetic_run.c build/libecometer.a $(LDLIBS)

TEST_DEPS += build/tests/eco_mkrun
