"""Compare two output trees of `dangyuan run` byte for byte (issue 11: a refactor changes no output).

    python scripts/compare_runs.py OLD_TREE NEW_TREE

Prints each file that is only in one tree or whose bytes differ, and exits 1 when there is any;
prints nothing and exits 0 when the trees are identical. Usage:
    dangyuan run <copy of sample_ledgers> -p 2025 --out /tmp/before/2025   # at the old commit
    dangyuan run <copy of sample_ledgers> -p 2025 --out /tmp/after/2025    # at the new one
    python scripts/compare_runs.py /tmp/before /tmp/after
"""

from __future__ import annotations

import sys
from pathlib import Path


def files(tree: Path) -> dict[str, bytes]:
    """Relative path → bytes of every file below `tree` (hidden ones too: the marker counts)."""
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def differences(old: Path, new: Path) -> list[str]:
    """One line per differing file: `only in OLD: x`, `only in NEW: x`, or `differs: x`."""
    a, b = files(old), files(new)
    lines = [f"only in {old}: {name}" for name in sorted(a.keys() - b.keys())]
    lines += [f"only in {new}: {name}" for name in sorted(b.keys() - a.keys())]
    lines += [f"differs: {name}" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not all(Path(a).is_dir() for a in argv):
        print("usage: compare_runs.py OLD_TREE NEW_TREE (two folders)", file=sys.stderr)
        return 2
    lines = differences(Path(argv[0]), Path(argv[1]))
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
