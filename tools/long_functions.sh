#!/bin/sh
# Functions longer than N lines (default 100) under DIR (default src), longest
# first, as "lines file:line name". Uses Universal Ctags for where each function
# starts and ends. The project's limits: `tools/long_functions.sh src 100` and
# `tools/long_functions.sh src/cli 80` print nothing.
dir=${1:-src}
n=${2:-100}
ctags -R --languages=C --kinds-c=f --fields=+ne -f - "$dir" |
    awk -F'\t' -v n="$n" '{
        line = ""; end = ""
        for (i = 4; i <= NF; i++) {
            if ($i ~ /^line:/) line = substr($i, 6)
            if ($i ~ /^end:/) end = substr($i, 5)
        }
        if (line != "" && end != "" && end - line + 1 > n)
            printf "%d %s:%s %s\n", end - line + 1, $2, line, $1
    }' | sort -rn
