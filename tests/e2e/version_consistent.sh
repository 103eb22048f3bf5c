#!/bin/sh
# One version everywhere it is written: VERSION (the Makefile's, hence
# `ecometer version` and libecometer.so.VERSION), the newest entry of
# debian/changelog (a native package: scripts/debian-package-test looks for
# ecometer_VERSION_*.changes), the Python module's __version__ and the
# DaemonSet's image tag. The Python module said 0.2.0 while the rest said 0.1.0.
set -u
S=${ECOMETER_SRC:-.}
v=$(cat "$S/VERSION")
fail=0
check() { # what, found
    if [ "$2" != "$v" ]; then
        echo "FAIL: $1 says '$2', VERSION says '$v'"
        fail=1
    fi
}
check "debian/changelog" "$(sed -n '1s/^ecometer (\([^)]*\)).*/\1/p' "$S/debian/changelog")"
check "python/ecometer/__init__.py" "$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$S/python/ecometer/__init__.py")"
check "deploy/kubernetes/daemonset.yaml" "$(sed -n 's|.*image: .*/ecometer:\(.*\)$|\1|p' "$S/deploy/kubernetes/daemonset.yaml")"
check "ecometer version" "$("$ECOMETER_BIN" version | sed 's/^ecometer //')"
[ $fail -eq 0 ] && echo "ok: version $v in VERSION, debian/changelog, the Python module, the DaemonSet and 'ecometer version'"
exit $fail
