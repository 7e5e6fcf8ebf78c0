"""Benchmark (issues 6 and 15): the county year-end batch end to end, beside a naive baseline, in one run.

Two workloads, generated once and cached in bench/: the realistic county of issue 15
(real_county.py: 10 townships, 3–4 files per village, `.xls` among them) and the old county of
issue 6 (make_county.py: one workbook per branch). For each it measures, in fresh processes:
- `dangyuan run <county> -p 2025` (year-end, all documents) and `-p 2025-07` (monthly);
- `dangyuan check <county>`;
- the baseline: openpyxl read-only merely reading the county's `.xlsx` files, cells only, one
  process (`.xls` files are left out: openpyxl cannot read them; dangyuan reads them);
- peak memory of the year-end run: the largest single process (`wait4` ru_maxrss, covering the
  workers it reaped) and the whole process tree (RSS and PSS of the main process and all its
  descendants, summed, sampled from /proc every 0.1 s; PSS splits pages shared after a fork, so
  it is the honest total, RSS sums count them twice).
- where a branch's CPU goes (`phases.py`: read / compute / write ms per branch, one process, the
  50-branch new county, year-end and monthly);
- that the outputs did not change: the batch over the 20-branch new county, compared byte for byte
  with `bench/reference-real20/` (made by the commit named in its COMMIT file, before any
  optimisation; `--save-reference` makes a new one).
Prints Markdown tables with the ratios; copy them into bench/RESULTS.md.
Usage: python bench/bench_run.py                    (new county 500, old county 500: `make bench`)
       python bench/bench_run.py --new 500,3000     (only the counties named: linear growth, memory)
       python bench/bench_run.py --old 500 --new 12
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_county import make_county  # noqa: E402
from real_county import county_stats, make_real_county  # noqa: E402

sys.path.insert(0, str(HERE.parent / "scripts"))
from compare_runs import differences  # noqa: E402

BIN = Path(sys.executable).with_name("dangyuan")


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids.extend(int(k) for k in fh.read().split())
    except OSError:
        pass
    return kids


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; (0, 0) once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            fields = dict(line.split(":", 1) for line in fh if line.startswith(("Rss:", "Pss:")))
        return int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])
    except (OSError, KeyError, ValueError):
        return 0, 0


@dataclass
class Run:
    seconds: float
    code: int
    largest_mb: float  # the largest single process of the tree (ru_maxrss via wait4)
    tree_rss_mb: float  # peak of the summed RSS of the tree
    tree_pss_mb: float  # peak of the summed PSS of the tree


def measure(argv: list[str]) -> Run:
    """Run `argv`, sampling the memory of its whole process tree until it exits. The disk is
    synced first: writing back what an earlier step wrote or deleted is not this step's time."""
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree, rss, pss = [proc.pid], 0, 0
            while tree:
                pid = tree.pop()
                r, p = _memory(pid)
                rss, pss = rss + r, pss + p
                tree.extend(_children(pid))
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, proc.returncode, usage.ru_maxrss / 1024, peak[0] / 1024, peak[1] / 1024)


def baseline(paths: list[Path]) -> float:
    """openpyxl read-only over `paths`, in a fresh process; the seconds it reports (import included)."""
    listing = HERE / ".baseline-files.txt"
    listing.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    os.sync()
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter();"
        "from bench_read import naive_openpyxl; from pathlib import Path;"
        "naive_openpyxl([Path(p) for p in open(sys.argv[2], encoding='utf-8').read().splitlines()]);"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(HERE), str(listing)], capture_output=True, text=True, check=True
    )
    listing.unlink()
    return float(out.stdout.strip())


def counted_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def bench_county(label: str, county: Path, paths: list[Path], description: str) -> list[tuple[str, str]]:
    """Every figure of one county, as (row label, value) pairs."""
    xlsx = [p for p in paths if p.suffix == ".xlsx"]
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"{label}: {description}; {len(paths)} files ({len(paths) - len(xlsx)} .xls), {size:.0f} MB", file=sys.stderr)
    out = county / "输出"
    shutil.rmtree(out, ignore_errors=True)  # the batch's own output of an earlier bench run
    year = measure([str(BIN), "run", str(county), "-p", "2025"])
    written = counted_files(out / "2025") if (out / "2025").exists() else 0
    print(f"  run -p 2025: {year.seconds:.1f} s", file=sys.stderr)
    month = measure([str(BIN), "run", str(county), "-p", "2025-07"])
    print(f"  run -p 2025-07: {month.seconds:.1f} s", file=sys.stderr)
    check = measure([str(BIN), "check", str(county)])
    print(f"  check: {check.seconds:.1f} s", file=sys.stderr)
    base = baseline(xlsx)
    print(f"  baseline: {base:.1f} s", file=sys.stderr)
    return [
        ("county", description),
        ("files (`.xls` among them), size", f"{len(paths):,} ({len(paths) - len(xlsx)}), {size:.0f} MB"),
        ("`run -p 2025` (files written, exit code)", f"{year.seconds:.2f} s ({written:,}, exit {year.code})"),
        ("`run -p 2025-07`", f"{month.seconds:.2f} s (exit {month.code})"),
        ("`check`", f"{check.seconds:.2f} s (exit {check.code})"),
        ("baseline: openpyxl read-only, the `.xlsx` files only, cells only", f"{base:.2f} s ({len(xlsx):,} files)"),
        ("**batch vs baseline** (baseline ÷ run; goal ≥ 3× new, ≥ 2× old)", f"**{base / year.seconds:.2f}×**"),
        ("check vs baseline (goal ≥ 4×)", f"{base / check.seconds:.2f}×"),
        ("monthly ÷ year-end (goal ≤ 0.33)", f"{month.seconds / year.seconds:.2f}"),
        ("peak memory of `run -p 2025`, largest process", f"{year.largest_mb:.0f} MB"),
        (
            "peak memory of `run -p 2025`, process tree: PSS (RSS) summed",
            f"{year.tree_pss_mb:.0f} MB ({year.tree_rss_mb:.0f} MB)",
        ),
        (
            "peak memory of `check`: largest process; process tree PSS (RSS)",
            f"{check.largest_mb:.0f} MB; {check.tree_pss_mb:.0f} MB ({check.tree_rss_mb:.0f} MB)",
        ),
    ]


def phases(county: Path, period: str) -> dict:
    """read / compute / write ms per branch of a serial batch (bench/phases.py, a fresh process)."""
    out = subprocess.run(
        [sys.executable, str(HERE / "phases.py"), str(county), period], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


REFERENCE = HERE / "reference-real20"


def same_as_reference(save: bool) -> str:
    """Run the 20-branch county for the year and a month; compare with (or save) the reference."""
    county = HERE / "county-real20"
    make_real_county(county, 20)
    fresh = HERE / ".outputs-real20"
    shutil.rmtree(fresh, ignore_errors=True)
    for period in ("2025", "2025-07"):
        subprocess.run([str(BIN), "run", str(county), "-p", period, "--out", str(fresh / period)], capture_output=True)
    if save:
        shutil.rmtree(REFERENCE, ignore_errors=True)
        shutil.copytree(fresh, REFERENCE)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE)
        (REFERENCE / "COMMIT").write_text(commit.stdout.strip() + "\n", encoding="utf-8")
        return "reference saved"
    if not REFERENCE.exists():
        return "no reference (run with --save-reference at the commit to compare with)"
    (fresh / "COMMIT").write_bytes((REFERENCE / "COMMIT").read_bytes())
    lines = differences(REFERENCE, fresh)
    made = (REFERENCE / "COMMIT").read_text(encoding="utf-8").strip()
    files = counted_files(fresh) - 1
    if not lines:
        return f"identical: {files} files, byte for byte, as the reference made by {made}"
    return f"**{len(lines)} differ** from the reference made by {made}: " + "; ".join(lines[:5])


def sizes(text: str | None) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()] if text else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", help="sizes of the realistic county, e.g. 500 or 500,3000")
    parser.add_argument("--old", help="sizes of the old county (issue 6)")
    parser.add_argument("--save-reference", action="store_true", help="save the 20-branch outputs as the reference")
    args = parser.parse_args()
    if args.save_reference:
        print(same_as_reference(save=True))
        return
    new, old = sizes(args.new), sizes(args.old)
    if args.new is None and args.old is None:
        new, old = [500], [500]
    helps = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([str(BIN), "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - start)
    columns: list[tuple[str, list[tuple[str, str]]]] = []
    for n in new:
        county = HERE / f"county-real{n}"
        start = time.perf_counter()
        paths = make_real_county(county, n)
        print(f"new county {n}: generated/cached in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        members, rows = county_stats(n)
        text = f"realistic, {n} branches, {members:,} members, {rows:,} ledger rows"
        columns.append((f"new {n}", bench_county(f"new {n}", county, paths, text)))
    for n in old:
        county = HERE / ("county" if n == 500 else f"county{n}")
        paths = make_county(county, n)
        text = f"old, {n} branch workbooks, {60 * n:,} members, {720 * n:,} ledger rows"
        columns.append((f"old {n}", bench_county(f"old {n}", county, paths, text)))
    print(f"`dangyuan --help` (best of 3; goal ≤ 0.3 s): {min(helps):.2f} s\n")
    print(f"Outputs of the 20-branch new county (year-end and 2025-07): {same_as_reference(save=False)}\n")
    small = HERE / "county-real50"
    make_real_county(small, 50)
    print("CPU per branch, one process, the 50-branch new county (bench/phases.py):\n")
    print("| period | read ms | compute ms | write ms | total CPU s |")
    print("|---|---|---|---|---|")
    for period in ("2025", "2025-07"):
        ph = phases(small, period)
        print(
            f"| {period} | {ph['read_ms_per_branch']} | {ph['compute_ms_per_branch']} | "
            f"{ph['write_ms_per_branch']} | {ph['cpu_s']} |"
        )
    print()
    print("| | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for i, (row, _) in enumerate(columns[0][1] if columns else []):
        print(f"| {row} | " + " | ".join(c[i][1] for _, c in columns) + " |")
    if len(new) > 1:
        print(f"\nnew county, {new[-1]} vs {new[0]} branches: run time ×{_ratio(columns, new)}")


def _ratio(columns, new: list[int]) -> str:
    times = {name: float(values[2][1].split()[0]) for name, values in columns}
    return f"{times[f'new {new[-1]}'] / times[f'new {new[0]}']:.2f} (branches ×{new[-1] / new[0]:.1f})"


if __name__ == "__main__":
    main()
