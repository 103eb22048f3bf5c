#!/bin/sh
# Malformed ONNX files: every one must exit 2 with an "ecometer: ..." message
# naming what is wrong, never crash or hang.
bin="$ECOMETER_BIN"
t="$ECO_TEST_TMPDIR"
src="$ECOMETER_SRC/tests/fuzz/corpus/onnx/pt_conv2d.onnx"
fail=0

expect2() { # name file [pattern]
    name=$1; file=$2; pat=$3
    timeout 20 "$bin" flops "$file" >"$t/out" 2>"$t/err"
    rc=$?
    if [ $rc -ne 2 ]; then
        echo "FAIL $name: exit $rc (expected 2)"; cat "$t/err"; fail=1; return
    fi
    if ! grep -q '^ecometer: ' "$t/err"; then
        echo "FAIL $name: no 'ecometer:' message"; fail=1; return
    fi
    if [ -n "$pat" ] && ! grep -q -- "$pat" "$t/err"; then
        echo "FAIL $name: message lacks '$pat':"; cat "$t/err"; fail=1; return
    fi
    echo "ok   $name: $(head -n1 "$t/err")"
}

: >"$t/empty.onnx"
expect2 empty "$t/empty.onnx" "empty"
expect2 missing "$t/does-not-exist.onnx" "cannot open"
expect2 directory "$t" "not a regular file"
printf 'this is not a protobuf at all, just some text\n' >"$t/text.onnx"
expect2 wrong-magic-text "$t/text.onnx" "byte offset"
head -c 200 "$src" >"$t/truncated.onnx"
expect2 truncated "$t/truncated.onnx" "byte offset"
# graph field (7) claiming 127 bytes with 1 present
printf '\010\010\072\177\001' >"$t/pastend.onnx"
expect2 length-past-end "$t/pastend.onnx" "byte offset 2"
# 11-byte varint
printf '\010\377\377\377\377\377\377\377\377\377\377\001' >"$t/varint.onnx"
expect2 varint-overflow "$t/varint.onnx" "byte offset 1"
# ir_version 8, ai.onnx opset 99, empty graph
printf '\010\010\102\002\020\143\072\000' >"$t/opset.onnx"
expect2 unknown-opset "$t/opset.onnx" "opset 99"
# a dims product overflowing 64 bits: initializer dims 2^62 x 4
printf '\010\010\072\023\052\021\010\200\200\200\200\200\200\200\200\100\010\004\020\001\102\001w' >"$t/dims.onnx"
expect2 absurd-dims "$t/dims.onnx" "overflow"
# garbage from a fixed seed: deterministic bytes
awk 'BEGIN { srand(7); for (i = 0; i < 4096; i++) printf "%c", int(rand() * 256) }' >"$t/garbage.onnx"
timeout 20 "$bin" flops "$t/garbage.onnx" >/dev/null 2>"$t/err"
rc=$?
if [ $rc -ne 2 ] && [ $rc -ne 0 ]; then echo "FAIL garbage: exit $rc"; cat "$t/err"; fail=1; else echo "ok   garbage: exit $rc"; fi
# bad options
timeout 20 "$bin" flops "$src" --input x=1xfoo >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL bad --input"; fail=1; }
timeout 20 "$bin" flops "$src" --batch 0 >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL bad --batch"; fail=1; }
timeout 20 "$bin" flops "$src" --format xml >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL bad --format"; fail=1; }
exit $fail
