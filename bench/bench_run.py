"""Benchmark (issue 6): the county year-end batch end to end, beside a naive baseline, in one run.

Generates (and caches) a synthetic county with bench/make_county.py, then measures:
`dangyuan --help`, reading alone, `dangyuan run --period 2025` end to end (a fresh process, all
documents), peak memory of the largest process, and the naive baseline: openpyxl read-only
reading the same files, cells only. Prints a Markdown table; copy it into bench/RESULTS.md.
Usage: python bench/bench_run.py [N branches, default 500]
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_read import naive_openpyxl  # noqa: E402
from make_county import make_county  # noqa: E402


def seconds(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    county = HERE / ("county" if count == 500 else f"county{count}")
    paths = make_county(county, count)
    shutil.rmtree(county / "输出", ignore_errors=True)
    dangyuan = str(Path(sys.executable).with_name("dangyuan"))
    print(f"county: {count} branch workbooks (60 members, 720 entries each) in {county}\n")
    print("| step | time |\n|---|---|")
    helps = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([dangyuan, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - start)
    print(f"| `dangyuan --help` (best of 3) | {min(helps):.2f} s |")

    # the batch runs before anything big is loaded here: a forked child starts with its parent's
    # memory, which would otherwise be counted as the batch's peak
    start = time.perf_counter()
    done = subprocess.run([dangyuan, "run", str(county), "--period", "2025"], capture_output=True, text=True)
    run_time = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    files = sum(1 for p in (county / "输出" / "2025").rglob("*") if p.is_file())
    print(
        f"| `dangyuan run --period 2025` end to end ({files} files written, exit {done.returncode}) | {run_time:.2f} s |"
    )
    from dangyuan_cli.registers.workspace import load_workspace

    print(f"| dangyuan: reading alone (calamine, one process) | {seconds(load_workspace, county):.2f} s |")
    baseline = seconds(naive_openpyxl, paths)
    print(f"| baseline: openpyxl read-only, cells only | {baseline:.2f} s |")
    print(f"\nbatch vs baseline: {baseline / run_time:.2f}× ; peak memory of the largest process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
