#!/bin/sh
# Teacher vs distilled student: train each under `ecometer run`, then compare
# them and write a report. Usage (from anywhere):
#   examples/distillation/run.sh [EPOCHS] [STEPS_PER_EPOCH]
# Environment: ECOMETER (the ecometer binary, default build/ecometer of this
# tree, else ecometer on PATH), REGION (carbon-intensity region, default FR),
# OUT (work folder, default examples/distillation/work), PYTHON (default
# /usr/bin/python3), ECOMETER_DB (history; default the usual one),
# THREADS (torch threads, default 2).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EPOCHS=${1:-3}
STEPS=${2:-20}
ECOMETER=${ECOMETER:-$ROOT/build/ecometer}
[ -x "$ECOMETER" ] || ECOMETER=ecometer
REGION=${REGION:-FR}
OUT=${OUT:-$HERE/work}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-2}
mkdir -p "$OUT"

latest_id() {
    "$ECOMETER" runs --limit 1 --format csv | sed -n 2p | cut -d, -f1
}

for model in teacher student; do
    echo "== $model"
    "$ECOMETER" run --region "$REGION" --json "$OUT/$model.json" -- \
        "$PYTHON" "$HERE/train.py" --model "$model" --epochs "$EPOCHS" --steps "$STEPS" \
        --threads "$THREADS" --out "$OUT"
    eval "${model}_id=\$(latest_id)"
done

echo "== teacher ($teacher_id) vs student ($student_id)"
"$ECOMETER" compare "$teacher_id" "$student_id"
"$ECOMETER" report "$teacher_id" "$student_id" -o "$OUT/report.html"
echo "report: $OUT/report.html"
