"""Writing files safely and reproducibly: temp name + rename; zip entries with a fixed date."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class FixedTimeZip(zipfile.ZipFile):
    """A zip writer that dates every entry FIXED_ZIP_TIME and compresses fast (level 1):
    used where a library writes the archive itself (openpyxl), so nothing is compressed twice."""

    def __init__(self, file: io.BytesIO, mode: str = "w") -> None:
        super().__init__(file, mode, zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        super().writestr(info, data, compresslevel=1)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None) -> None:
        """openpyxl adds worksheets from temporary files: date them like everything else."""
        with open(filename, "rb") as fh:
            self.writestr(arcname or os.path.basename(filename), fh.read())


def write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
