"""Where the batch's CPU goes, per branch: read / compute / write (issue 15), in one process.

    python bench/phases.py WORKSPACE [PERIOD]      (its 输出/ is replaced; prints JSON)

Runs `run_batch(..., workers=1)` and splits its CPU time (process_time) into three phases:
- read: `prepare` (open, recognise, parse and validate every register; frames; resolve entries);
- write: every call from the app layer into `dangyuan_cli.publish` (tables, workbooks, 公示
  documents, the report), nested publish calls counted once;
- compute: the rest (scores, stars, boards, consequences, classes, posts, registers, the run's
  own bookkeeping: staging, summary, log).
Timing wrappers cost a little (a few µs a call); the bench reports their sum beside the total.
"""

from __future__ import annotations

import functools
import importlib
import json
import shutil
import sys
import time
import types
from pathlib import Path

APP_MODULES = ["batch", "compute", "context", "development", "member_registers", "staging", "archive"]


def instrument() -> dict[str, float]:
    spent = {"read": 0.0, "write": 0.0}
    depth = [0]

    def timed(fn, phase: str):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if depth[0]:
                return fn(*args, **kwargs)
            depth[0] += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += time.process_time() - start
                depth[0] -= 1

        return wrapper

    seen: set[tuple[int, str]] = set()
    for name in APP_MODULES:
        module = importlib.import_module(f"dangyuan_cli.app.{name}")
        for attr, value in list(vars(module).items()):
            if isinstance(value, types.ModuleType) and value.__name__.startswith("dangyuan_cli.publish"):
                targets = [(value, a, v) for a, v in vars(value).items()]
            else:
                targets = [(module, attr, value)]
            for owner, a, fn in targets:
                publishing = isinstance(fn, types.FunctionType) and fn.__module__.startswith("dangyuan_cli.publish")
                if publishing and (id(owner), a) not in seen:
                    seen.add((id(owner), a))
                    setattr(owner, a, timed(fn, "write"))
    batch = importlib.import_module("dangyuan_cli.app.batch")
    batch.prepare = timed(batch.prepare, "read")
    return spent


def main() -> None:
    root = Path(sys.argv[1])
    period = sys.argv[2] if len(sys.argv) > 2 else "2025"
    shutil.rmtree(root / "输出", ignore_errors=True)
    spent = instrument()
    from dangyuan_cli.app.batch import run_batch

    start = time.process_time()
    result = run_batch(root, period, workers=1)
    total = time.process_time() - start
    branches = sum(1 for o in result.outcomes if o.status == "完成")
    spent["compute"] = total - spent["read"] - spent["write"]
    print(
        json.dumps(
            {
                "branches": branches,
                "cpu_s": round(total, 3),
                **{f"{k}_ms_per_branch": round(1000 * v / branches, 1) for k, v in spent.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
