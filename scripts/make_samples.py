"""Generate `sample_ledgers/`: a township (城关镇) of three branches with a full year of registers.

Deterministic (fixed seeds, fixed file metadata and zip dates): running it twice gives the same
bytes. The files carry the mess of real registers on purpose: merged title rows, aliases, text
dates, full-width digits, an old `.xls`, signature lines, blank spacer rows, a revoked entry, a
veto, exempt members, activists, probationary members, two members with one name, gaps in duty
records and in contacts with floating members. `manifest.json` lists the planted cases; the
generator itself is the package `scripts/samples/`. Usage: python scripts/make_samples.py sample_ledgers
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from samples.layouts import write_branch_dongguan, write_branch_summary
from samples.manifest import write_manifest
from samples.people import township
from samples.registers import RULES, write_development, write_member_registers, write_township


def main(target: str) -> None:
    root = Path(target)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    branches = township()
    duty = {branches[0].name: write_branch_dongguan(root, branches[0])}
    for b in branches[1:]:
        duty[b.name] = write_branch_summary(root, b)
    write_township(root, branches)
    write_development(root, branches)
    write_member_registers(root, branches)
    (root / "dangyuan.toml").write_text(RULES, encoding="utf-8")
    write_manifest(root, branches, duty)
    print(f"sample ledgers written to {root}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample_ledgers")
