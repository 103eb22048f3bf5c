#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/fuzz_series.c into
tests/fuzz/corpus/series/ (our own rows, not copied from any export).
First byte: bit 0 lifecycle(0)/direct(1), bit 1 memory(0)/path(2)."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "series")
EM_V1 = ("Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO\u2082eq/kWh (direct),"
         "Carbon Intensity gCO\u2082eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,"
         "Data Source,Data Estimated,Data Estimation Method\n")
EM_V2 = ("Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO\u2082eq/kWh (direct),"
         "Carbon intensity gCO\u2082eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),"
         "Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method\n")
SEEDS = [
    (0, "timestamp,g_per_kwh\n2026-01-01T00:00:00Z,120\n2026-01-01T01:00:00Z,240\n2026-01-01T02:00:00Z,90.5\n"),
    (0, "# comment\n1774742400,100\n1774742700,200\n1774743000,50\n1774743600,70\n"),
    (2, "2026-03-29T00:00:00+01:00,100\n2026-03-29T01:00:00+01:00,200\n2026-03-29T03:00:00+02:00,300\n"),
    (0, "2026-10-25T02:00:00+02:00,20\n2026-10-25T02:00:00+01:00,30\n2026-10-25T03:00+0100,40\n"),
    (0, "2026-01-01 00:00Z,1\n2026-01-01 01:00Z,\n2026-01-01 02:00Z,3\n2026-01-01 05:00Z,4\n"),
    (0, EM_V1 + "2022-01-01 00:00:00,France,France,FR,40.1,70.5,90,20,entsoe.eu,false,\n"
               "2022-01-01 01:00:00,France,France,FR,42,72,90,20,entsoe.eu,true,TIME_SLICER_AVERAGE\n"),
    (1, EM_V1 + "2022-06-01 00:00:00,Poland,Poland,PL,650,700,20,20,entsoe.eu,false,\n"
               "2022-06-01 01:00:00,Poland,Poland,PL,640,690,20,20,entsoe.eu,false,\n"),
    (3, "\ufeff" + EM_V2.replace("\n", "\r\n") +
        "2024-01-01 00:00:00,Germany,Germany,DE,300,350,50,45,\"entsoe.eu, x\",false,\r\n"
        "2024-01-01 00:05:00,Germany,Germany,DE,310,360,50,45,entsoe.eu,false,\r\n"
        "2024-01-01 00:15:00,Germany,Germany,DE,,,50,45,entsoe.eu,false,\r\n"
        "2024-01-01 00:20:00,Germany,Germany,DE,320,370,50,45,entsoe.eu,false,\r\n"),
    (0, "t,g\n2026-01-01T01:00Z,1\n2026-01-01T00:00Z,2\n"),
    (0, "2026-03-29 02:30:00,100\n2026-03-29 03:30:00,100\n"),
    (0, "2026-01-01T00:00:00.250Z,1e2\n2026-01-01T00:00:00.500Z,2000\n2026-02-29T00:00Z,1\n"),
    (2, "Datetime (UTC),Carbon intensity gCO2eq/kWh (direct)\n2024-01-01 00:00:00,1\n"),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, (mode, text) in enumerate(SEEDS):
        with open(os.path.join(OUT, "seed-%02d" % i), "wb") as f:
            f.write(bytes([mode]) + text.encode("utf-8"))


if __name__ == "__main__":
    main()
