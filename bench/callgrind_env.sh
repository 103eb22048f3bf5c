# Sourced by the callgrind benches (startup_instructions.sh, loop_instructions.sh):
# the repository as working folder, the binaries to measure ("$@", default
# build/ecometer), valgrind present, and the fixture server as the machine
# (ECOMETER_SYSFS_ROOT/ECOMETER_PROC_ROOT) with a throw-away state folder $TMP.
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- build/ecometer
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
FIX=${FIXTURE:-tests/fixtures/intel-2s-server}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export ECOMETER_SYSFS_ROOT="$FIX/sys" ECOMETER_PROC_ROOT="$FIX/proc" XDG_STATE_HOME="$TMP" XDG_DATA_HOME="$TMP"
