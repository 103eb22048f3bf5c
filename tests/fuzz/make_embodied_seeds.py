#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/fuzz_embodied_table.c (run once from
the source root; the files are committed): the built-in table, a minimal
valid one, and near misses of each rule of the parser."""
import os

ROOT = os.path.dirname(os.path.abspath(__file__))
HEAD = "key\tkind\tdevice\tkg_co2e\tper\tdefault\tcovers\tsource\tyear\n"
ROW = "gpu-x\tgpu\tNVIDIA X\t164\tdevice\tno\tcradle-to-gate\tvendor PCF\t2024\n"
seeds = [
    open(os.path.join(ROOT, "..", "..", "data", "embodied.tsv"), encoding="utf-8").read(),
    HEAD + ROW,
    HEAD + ROW + "mem\tmemory\t*\t0.065\tGB\tno\tdie only\tACT\t2022\n" + "d\tgpu\t*\t127.6\tdevice\tyes\tDEFAULT\tx\t2025\n",
    HEAD + ROW.replace("164", "164000"),        # grams, not kg
    HEAD + ROW.replace("device\tno", "TB\tno"),  # unit does not fit
    HEAD + ROW + ROW,                            # key twice
    HEAD + ROW.replace("2024", "1900"),
    HEAD + ROW.replace("\tno\t", "\tmaybe\t"),
    HEAD.replace("covers\t", "") + "a\tgpu\tX\t1\tdevice\tno\ts\t2020\n",  # a column missing
    "# only a comment\n",
    HEAD + "a\tgpu\tX\tnan\tdevice\tno\tc\ts\t2020\n",
]
d = os.path.join(ROOT, "corpus", "embodied_table")
os.makedirs(d, exist_ok=True)
for i, s in enumerate(seeds):
    with open(os.path.join(d, "seed-%02d" % i), "wb") as f:
        f.write(s.encode())
