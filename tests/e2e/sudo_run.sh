#!/bin/sh
# `sudo ecometer run -- CMD` runs CMD as the user who typed sudo: a throwaway
# user (useradd, removed at the end) with an extra group; ecometer is started
# as root with the variables sudo sets (SUDO_UID, SUDO_GID, SUDO_USER, and
# root's HOME). The child's uid, gid, groups, HOME and USER are the user's,
# the history lands in the user's data folder owned by them (and they can read
# it), a marker sent by the child reaches the meter, --as-root keeps root, and
# a malformed SUDO_UID exits 2. Skipped (77) when not root or without useradd.
set -u
B=${ECOMETER_BIN:?}
if [ "$(id -u)" != 0 ]; then echo "skip: needs root to create a throwaway user (run make check as root)"; exit 77; fi
command -v useradd >/dev/null 2>&1 || { echo "skip: no useradd on this machine"; exit 77; }
U=ecosudo$$
G=ecosudog$$
D=$(mktemp -d /tmp/ecometer-sudo-XXXXXX)
chmod 755 "$D"
cleanup() { userdel -r "$U" >/dev/null 2>&1; groupdel "$G" >/dev/null 2>&1; rm -rf "$D"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
groupadd "$G" || fail "groupadd"
useradd -m -d "$D/home" -G "$G" -s /bin/sh "$U" || fail "useradd"
UID_U=$(id -u "$U"); GID_U=$(id -g "$U"); GID_X=$(getent group "$G" | cut -d: -f3)
cp "$B" "$D/ecometer" && chmod 755 "$D/ecometer"
mkdir -p "$D/roothome"
F=${ECOMETER_SRC:?}/tests/fixtures/vm-hidden-model
as_sudo() {
    env -u XDG_DATA_HOME -u XDG_STATE_HOME -u ECOMETER_DB HOME="$D/roothome" USER=root LOGNAME=root \
        SUDO_UID="$UID_U" SUDO_GID="$GID_U" SUDO_USER="$U" \
        ECOMETER_SYSFS_ROOT=$F/sys ECOMETER_PROC_ROOT=$F/proc ECOMETER_CPUINFO=$F/proc/cpuinfo \
        ECOMETER_NVML_LIB=/nonexistent/libnvidia-ml.so.1 PYTHONPATH="$D/py" "$D/ecometer" "$@"
}
cp -r "$ECOMETER_SRC/python" "$D/py" && chmod -R a+rX "$D/py"

as_sudo run -- sh -c 'id -u > "$HOME/uid"; id -g > "$HOME/gid"; id -G > "$HOME/groups";
    echo "$HOME $USER" > "$HOME/env";
    python3 -c "from ecometer import markers; markers.begin(\"step\"); markers.end(\"step\")"' \
    2> "$D/err.txt" || fail "run exit $?: $(cat "$D/err.txt")"
H=$D/home
[ "$(cat "$H/uid")" = "$UID_U" ] || fail "child uid $(cat "$H/uid"), want $UID_U"
[ "$(cat "$H/gid")" = "$GID_U" ] || fail "child gid $(cat "$H/gid"), want $GID_U"
case " $(cat "$H/groups") " in *" $GID_X "*) ;; *) fail "child groups $(cat "$H/groups") lack $GID_X ($G)";; esac
case " $(cat "$H/groups") " in *" 0 "*) fail "child kept root's group: $(cat "$H/groups")";; esac
[ "$(cat "$H/env")" = "$H $U" ] || fail "child HOME USER: $(cat "$H/env")"
grep -q "^ecometer: running the command as $U (uid $UID_U, from sudo); only the sampler keeps root (--as-root to run it as root)$" \
    "$D/err.txt" || fail "no note: $(cat "$D/err.txt")"
DB=$H/.local/share/ecometer/history.db
[ -f "$DB" ] || fail "no history in the user's data folder: $(ls -R "$H")"
for p in "$H/.local" "$H/.local/share" "$H/.local/share/ecometer" "$DB"; do
    [ "$(stat -c %u:%g "$p")" = "$UID_U:$GID_U" ] || fail "$p owned by $(stat -c %u:%g "$p")"
done
[ -z "$(find "$H" -uid 0)" ] || fail "root-owned files in the user's home: $(find "$H" -uid 0)"
[ ! -e "$D/roothome/.local" ] || fail "history also written to root's home"
# the user reads their history without sudo, and the marker arrived
runuser -u "$U" -- env HOME="$H" "$D/ecometer" show latest > "$D/show.txt" 2>&1 || fail "user cannot read it: $(cat "$D/show.txt")"
grep -q "^regions" "$D/show.txt" && grep -q "^step " "$D/show.txt" || fail "marker lost: $(cat "$D/show.txt")"

# --as-root: the command runs as root, the history stays root's
as_sudo run --as-root --no-history -- sh -c 'id -u > "$0"' "$D/rootuid" 2>/dev/null || fail "--as-root exit"
[ "$(cat "$D/rootuid")" = 0 ] || fail "--as-root: uid $(cat "$D/rootuid")"

# --intensity-series is read as the user: a root-only file is refused, its lines never shown
printf 'timestamp,g_per_kwh\nroot-only-secret,1\n' > "$D/rootonly.csv" && chmod 600 "$D/rootonly.csv"
as_sudo run --no-history --intensity-series "$D/rootonly.csv" -- touch "$D/ran" 2> "$D/series.txt"
rc=$?
[ $rc = 2 ] || fail "root-only series: exit $rc: $(cat "$D/series.txt")"
grep -q "Permission denied" "$D/series.txt" || fail "root-only series: $(cat "$D/series.txt")"
! grep -q "secret" "$D/series.txt" || fail "a root-only file's line shown: $(cat "$D/series.txt")"
[ ! -e "$D/ran" ] || fail "the command ran with an unreadable series"

# a malformed SUDO_UID: exit 2, clear message, nothing run
env SUDO_UID=abc "$D/ecometer" run --no-history -- touch "$D/ran" 2> "$D/bad.txt"
rc=$?
[ $rc = 2 ] || fail "SUDO_UID=abc: exit $rc"
[ "$(head -1 "$D/bad.txt")" = "ecometer: SUDO_UID 'abc' is not a user id" ] || fail "message: $(cat "$D/bad.txt")"
[ ! -e "$D/ran" ] || fail "the command ran with a bad SUDO_UID"
echo "ok: child uid $UID_U gid $GID_U groups $(cat "$H/groups"), history $DB owned by the user"
