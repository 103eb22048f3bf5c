#!/bin/sh
# CPU per history checkpoint at minutes 1..60 of a simulated hour of
# `monitor --interval 100ms` on 6 domains (see bench/checkpoint_cost.c).
# Usage: bench/checkpoint_cost.sh [TREE]   TREE: a built ecometer source tree
# (default: this one); a tree without meter/run_derive.h is timed without it.
set -eu
cd "$(dirname "$0")/.."
TREE=${1:-.}
[ -f "$TREE/build/libecometer.a" ] || { echo "build $TREE first: make" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DEF=""
[ -f "$TREE/src/meter/run_derive.h" ] && DEF="-DHAVE_DERIVE"
cc -std=c11 -D_GNU_SOURCE -O2 $DEF -I"$TREE/src" -I"$TREE/include" -o "$TMP/bench" bench/checkpoint_cost.c \
    "$TREE/build/libecometer.a" -lsqlite3 -lmicrohttpd -lncursesw -lcjson -ldl -lm -lpthread
echo "tree: $TREE ($(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo '?')), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$TMP/bench" "$TMP/history.db"
