# The stand-in NVML library the sensor tests load through ECOMETER_NVML_LIB
# (tests only; the product dlopens the real libnvidia-ml.so.1). Three builds:
# a current driver, an old one without the _v2 entry points, and one without
# the energy counter and per-process utilisation.
STANDIN_SRC := tests/nvml_standin/nvml_standin.c
STANDIN_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -fPIC -shared -fvisibility=hidden

build/tests/libnvml-standin.so: $(STANDIN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(STANDIN_CFLAGS) -o $@ $<

build/tests/libnvml-standin-old.so: $(STANDIN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(STANDIN_CFLAGS) -DSTANDIN_OLD_DRIVER -o $@ $<

build/tests/libnvml-standin-noenergy.so: $(STANDIN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(STANDIN_CFLAGS) -DSTANDIN_NO_ENERGY_SYMBOL -o $@ $<

TEST_DEPS += build/tests/libnvml-standin.so build/tests/libnvml-standin-old.so \
             build/tests/libnvml-standin-noenergy.so
