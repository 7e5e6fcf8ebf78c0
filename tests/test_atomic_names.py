"""write_atomic's temporary file (issue 15): named by this process instead of mkstemp, with
the same outcome — the folder made when missing, the output 0644 under the usual umask, no
temporary left, and a name already taken never opened."""

from __future__ import annotations

import itertools
import os
import stat

from dangyuan_cli.publish import files
from dangyuan_cli.publish.files import atomic_text, write_atomic


def test_an_output_is_written_whole_into_a_new_folder_with_nothing_left_beside_it(tmp_path) -> None:
    path = write_atomic(tmp_path / "新建" / "支部" / "结果.xlsx", b"PK data")
    assert path.read_bytes() == b"PK data"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    assert sorted(p.name for p in path.parent.iterdir()) == ["结果.xlsx"]
    with atomic_text(path.parent / "summary.json") as fh:
        fh.write("{}")
    assert sorted(p.name for p in path.parent.iterdir()) == ["summary.json", "结果.xlsx"]


def test_a_temporary_name_left_by_a_crashed_run_is_never_opened(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(files, "_TEMPORARIES", itertools.count(7))
    stale = tmp_path / f".~tmp-{os.getpid()}-7.md"
    stale.write_bytes(b"someone else's")
    write_atomic(tmp_path / "公示.md", b"new")
    assert (tmp_path / "公示.md").read_bytes() == b"new"
    assert stale.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([stale.name, "公示.md"])


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
