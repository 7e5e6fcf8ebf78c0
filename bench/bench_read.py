"""Benchmark: reading a county's registers, against a naive openpyxl baseline, in one run.

Prints a Markdown table of measured times and ratios; results go to bench/RESULTS.md by hand.
Usage: python bench/bench_read.py [N]   (default 500 branch workbooks, cached in bench/county/)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_county import make_county  # noqa: E402


def naive_openpyxl(paths: list[Path]) -> int:
    from openpyxl import load_workbook

    cells = 0
    for path in paths:
        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        wb.close()
    return cells


def timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - start
    print(f"| {label} | {seconds:.2f} s |", flush=True)
    return seconds, result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    county = HERE / "county"
    start = time.perf_counter()
    paths = make_county(county, count)
    print(f"county: {count} branch workbooks in {county} (generated/cached in {time.perf_counter() - start:.1f} s)\n")
    print("| step | time |\n|---|---|")
    help_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dangyuan_cli", "--help"], capture_output=True, check=True)
        help_runs.append(time.perf_counter() - t0)
    print(f"| `dangyuan --help` (best of 3) | {min(help_runs):.2f} s |")

    from dangyuan_cli.registers.workspace import load_workspace

    ours, ws = timed("dangyuan: read + recognise + parse + validate (calamine)", load_workspace, county)
    base, _ = timed("baseline: openpyxl read-only, cells only", naive_openpyxl, paths)
    rows = sum(len(t.rows) for t in ws.tables)
    errors = sum(p.severity == "error" for p in ws.problems)
    print(f"\nrows parsed: {rows:,}; errors: {errors}; speed-up over the baseline: {base / ours:.1f}×")


if __name__ == "__main__":
    main()
