#!/bin/sh
# The project's size rule, checked on the whole tree: no function in src/ over
# 100 lines and none in src/cli/ over 80 (issue 12: split by meaning). Uses
# tools/long_functions.sh (Universal Ctags); skipped where ctags is missing.
src=${ECOMETER_SRC:?}
command -v ctags >/dev/null 2>&1 || { echo "skip: no ctags (Debian package universal-ctags)"; exit 77; }
ctags --version 2>/dev/null | grep -q "Universal Ctags" || { echo "skip: ctags is not Universal Ctags"; exit 77; }
cd "$src" || exit 1
# a control: the lister must see functions at all, or an empty answer proves nothing
n=$(tools/long_functions.sh src 20 | wc -l)
[ "$n" -gt 50 ] || { echo "FAIL: tools/long_functions.sh lists only $n functions over 20 lines"; exit 1; }
over=$(tools/long_functions.sh src 100)
cli=$(tools/long_functions.sh src/cli 80)
[ -z "$over" ] || { echo "FAIL: functions over 100 lines in src/:"; echo "$over"; exit 1; }
[ -z "$cli" ] || { echo "FAIL: functions over 80 lines in src/cli/:"; echo "$cli"; exit 1; }
echo "no function over 100 lines in src/ ($n over 20), none over 80 in src/cli/"
