"""The sample township is what `make samples` writes, byte for byte, manifest included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES

SCRIPT = SAMPLES.parent / "scripts" / "make_samples.py"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {"输出", ".dangyuan"} & set(p.relative_to(root).parts)
    }


def test_make_samples_writes_the_committed_samples_again(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SAMPLES.parent / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "samples")], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    written, committed = _files(tmp_path / "samples"), _files(SAMPLES)
    assert "manifest.json" in written
    assert sorted(written) == sorted(committed)
    assert [name for name in written if written[name] != committed[name]] == []
