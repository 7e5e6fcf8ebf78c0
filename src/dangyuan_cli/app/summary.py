"""What a run says about itself in its output folder (SPEC §12): summary.json for scripts and
run.log for the clerk — every branch's outcome and every problem, located, in problem order.

A county's run holds ~150,000 warnings for 500 branches (one per ledger row whose 事项 is not in
the catalogue), so both files are written as they are formatted, never built as one text.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from dangyuan_cli.core.problems import Problem
from dangyuan_cli.publish import files as publish_files  # called through the module: tests stub atomic_text

if TYPE_CHECKING:
    from dangyuan_cli.app.staging import RunResult


def write_summary(result: RunResult, staging: Path) -> None:
    """summary.json (SPEC §12) and run.log, written as they are formatted: a county's problems
    (~150,000 warnings for 500 branches) are never held a second time as one text."""
    # result.problems are unique already (run_batch split them): only partition, no hashing again
    errors = [p for p in result.problems if p.severity == "error"]
    warnings = [p for p in result.problems if p.severity != "error"]
    with publish_files.atomic_text(staging / "summary.json") as fh:
        fh.write("{\n")
        fh.write(' "branches": ' + _nested([asdict(o) for o in result.outcomes]) + ",\n")
        fh.write(' "errors": ')
        _problem_list(fh, errors)
        fh.write(',\n "period": ' + _nested(result.period_code) + ",\n")
        fh.write(' "report": ' + _nested(result.shared_files) + ",\n")
        fh.write(' "warnings": ')
        _problem_list(fh, warnings)
        fh.write("\n}\n")
    with publish_files.atomic_text(staging / "run.log") as fh:
        fh.write(f"dangyuan run {result.period_label}（{result.period_code}）\n")
        for o in result.outcomes:
            fh.write(
                f"{o.branch}：{o.status}，文件{len(o.files)}个，错误{o.errors}项，提示{o.warnings}项"
                + (f"，原因：{o.reason}" if o.reason else "")
                + "\n"
            )
        fh.writelines(f"汇总：{name}\n" for name in result.shared_files)
        fh.writelines(f"错误 {p.format()}\n" for p in errors)
        fh.writelines(f"提示 {p.format()}\n" for p in warnings)


def _nested(value: object) -> str:
    """`value` as json.dumps(indent=1, sort_keys=True) writes it one level down."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")


def _problem_list(fh, problems: list[Problem]) -> None:
    """A list of SPEC §12 problem objects, byte for byte as json.dumps(indent=1, sort_keys=True)
    writes it two levels down — json's indenting encoder is pure Python, this is ~10× faster."""
    if not problems:
        fh.write("[]")
        return
    text = _JSON_TEXT
    fh.write("[\n")
    fh.write(
        ",\n".join(
            f'  {{\n   "cell": {text(p.cell)},\n   "file": {text(p.file)},\n'
            f'   "message": {text(p.message)},\n   "sheet": {text(p.sheet)}\n  }}'
            for p in problems
        )
    )
    fh.write("\n ]")


_JSON_TEXT = json.encoder.encode_basestring  # ensure_ascii=False: the C encoder of a JSON string
