#!/bin/sh
# The NVML source looks for libnvidia-ml only when an NVIDIA driver is loaded
# (<proc>/driver/nvidia/version, <sys>/module/nvidia, or WSL2's
# <sys>/class/misc/dxg): the library search through the whole library path
# is skipped on every other machine (issue 15, start-up). Both directions,
# with the stand-in NVML findable as libnvidia-ml.so.1 on LD_LIBRARY_PATH and
# ECOMETER_NVML_LIB unset: no driver -> not loaded, with the reason; a driver
# -> the GPUs are found; ECOMETER_NVML_LIB still works without a driver.
set -u
fail() { echo "FAIL: $*"; exit 1; }
B=${ECOMETER_BIN:?}
F=$ECOMETER_SRC/tests/fixtures
BUILD=${ECOMETER_BUILD:-$ECOMETER_SRC/build}
T=${ECO_TEST_TMPDIR:-/tmp}/nvgate
STANDIN=$BUILD/tests/libnvml-standin.so
[ -r "$STANDIN" ] || { echo "SKIP: $STANDIN not built (make test-deps)"; exit 77; }
rm -rf "$T" && mkdir -p "$T/lib" || fail "mkdir"
ln -s "$STANDIN" "$T/lib/libnvidia-ml.so.1" || fail "symlink"

# A board copied from the fixture with no sensor, then given driver files.
board() {
    rm -rf "$T/b" && cp -r "$F/no-sensors" "$T/b" || fail "copy fixture"
}
sensors() {
    env -u ECOMETER_NVML_LIB LD_LIBRARY_PATH="$T/lib" NVML_STANDIN_GPUS=2 \
        ECOMETER_SYSFS_ROOT="$T/b/sys" ECOMETER_PROC_ROOT="$T/b/proc" ECOMETER_CPUINFO="$T/b/proc/cpuinfo" \
        "$B" sensors --window 0 "$@"
}
nvml_line() { sensors > "$T/out.txt" 2>&1 || fail "$1: exit $?: $(cat "$T/out.txt")"; grep "^nvml" "$T/out.txt"; }

# No driver: the library is on the path, yet not loaded, and the reason says why.
board
line=$(nvml_line "no driver")
echo "$line" | grep -q "not available" || fail "no driver: nvml not reported absent: $line"
grep -q "no NVIDIA driver loaded" "$T/out.txt" || fail "no driver: reason: $(cat "$T/out.txt")"
grep -q "nvidia-smi" "$T/out.txt" || fail "no driver: fix: $(cat "$T/out.txt")"

# The kernel module's proc file (the text nvidia.ko writes there).
board
mkdir -p "$T/b/proc/driver/nvidia" || fail mkdir
printf 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n' \
    > "$T/b/proc/driver/nvidia/version"
line=$(nvml_line "proc driver")
echo "$line" | grep -q "enabled" || fail "proc driver: nvml not enabled: $(cat "$T/out.txt")"
grep -q "gpu-1" "$T/out.txt" || fail "proc driver: second GPU missing: $(cat "$T/out.txt")"

# The module directory alone (e.g. a container without /proc/driver).
board
mkdir -p "$T/b/sys/module/nvidia" && echo 550.54.15 > "$T/b/sys/module/nvidia/version" || fail mkdir
line=$(nvml_line "sys module")
echo "$line" | grep -q "enabled" || fail "sys module: nvml not enabled: $(cat "$T/out.txt")"

# WSL2: NVML over the paravirtual GPU device, no nvidia module.
board
mkdir -p "$T/b/sys/class/misc/dxg" || fail mkdir
line=$(nvml_line "wsl2 dxg")
echo "$line" | grep -q "enabled" || fail "wsl2 dxg: nvml not enabled: $(cat "$T/out.txt")"

# A driver but no library anywhere: named as such, not as "no driver".
board
mkdir -p "$T/b/sys/module/nvidia" || fail mkdir
env -u ECOMETER_NVML_LIB LD_LIBRARY_PATH=/nonexistent ECOMETER_SYSFS_ROOT="$T/b/sys" ECOMETER_PROC_ROOT="$T/b/proc" \
    ECOMETER_CPUINFO="$T/b/proc/cpuinfo" "$B" sensors --window 0 > "$T/out.txt" 2>&1 || fail "no library: exit $?"
if ! ldconfig -p 2>/dev/null | grep -q "libnvidia-ml.so.1 "; then
    grep -q "driver is loaded but its library libnvidia-ml.so.1 was not found" "$T/out.txt" ||
        fail "no library: reason: $(cat "$T/out.txt")"
fi

# ECOMETER_NVML_LIB names the library: loaded without any driver file.
board
ECOMETER_NVML_LIB="$STANDIN" NVML_STANDIN_GPUS=1 ECOMETER_SYSFS_ROOT="$T/b/sys" ECOMETER_PROC_ROOT="$T/b/proc" \
    ECOMETER_CPUINFO="$T/b/proc/cpuinfo" "$B" sensors --window 0 > "$T/out.txt" 2>&1 || fail "env lib: exit $?"
grep "^nvml" "$T/out.txt" | grep -q "enabled" || fail "env lib: nvml not enabled: $(cat "$T/out.txt")"
echo "ok"
