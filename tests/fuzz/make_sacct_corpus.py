#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/fuzz_sacct.c (run once from the
source root; the files are committed): sacct --parsable2 outputs written by
hand from the formats in Slurm's sacct(1) (Elapsed, TotalCPU, ReqMem with the
old n/c suffixes, AllocTRES with typed and untyped GPUs, steps, array and
heterogeneous jobs), near misses, and --sacct-map files."""
import os

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "sacct")
H = "JobID|JobName|Partition|NodeList|State|Elapsed|NCPUS|NNodes|AllocTRES|ReqMem|MaxRSS|TotalCPU\n"
SEEDS = [
    H + "1|a|cpu|n1|COMPLETED|02:00:00|8|1|billing=8,cpu=8,mem=32G,node=1|32G||08:00:00\n"
        "1.batch|batch||n1|COMPLETED|02:00:00|8|1|cpu=8,mem=32G,node=1||20480M|07:59:58\n",
    H + "2|t|gpu|g[01-02]|COMPLETED|1-00:00:00|16|2|cpu=16,gres/gpu=2,gres/gpu:a100=2,mem=128G,node=2|64Gn||2-00:00:00\n",
    H + "3_1|s|cpu|n3|COMPLETED|00:30:00|4|1|cpu=4,node=1|4000Mc||59:59.500\n3+0|h|cpu|n4|RUNNING|01:00:00|2|1||4G||\n",
    H + "4|x|cpu|n1|FAILED|2:xx:00|4|1|cpu=4|8G||00:10:00\n5|y|cpu|n1\n9.0|o||n9|COMPLETED|00:01:00|1|1|||10M|\n",
    "JobID|Elapsed|AllocCPUS|\r\n7|00:01:00|2|\r\nJobID|Elapsed|AllocCPUS|\r\n8|99-23:59:59.999|1|\r\n",
    "JobID|Elapsed|NCPUS|AllocTRES\n6|00:00:01|0|gres/gpu=999999999,mem=999999999P\n",
    "1001|02:00:00|8\n",
    "",
    "match\tcpu\tcpu_w_per_core\tgpu\tgpu_w\npartition=gpu\t\t12\t\t300\nnode=cpu-0[1-3]\t\t10\t\t\n",
    "match\tgpu\npartition=a\tA100\n",
]
os.makedirs(D, exist_ok=True)
for i, s in enumerate(SEEDS):
    with open(os.path.join(D, "seed-%02d" % i), "w", newline="") as f:
        f.write(s)
