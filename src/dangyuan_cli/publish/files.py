"""Writing files safely and reproducibly: temp name + rename; zip entries with a fixed date."""

from __future__ import annotations

import contextlib
import copy
import errno
import io
import itertools
import os
import tempfile
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class ReusingZip(zipfile.ZipFile):
    """A zip writer that stops deflating a part this process keeps writing: from the third time
    a part with the same name, date, attributes and bytes is written, it is copied as the local
    header and compressed data written before (most parts of a county's workbooks — theme,
    styles, rels, properties — are the same in every branch's file; with the sharedStrings
    writer ~0.3 ms of a results workbook's ~3.3). The archive is the same, byte for byte."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo) or len(data) > _REUSE_SIZE or not self._seekable:
            return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
        zinfo = zinfo_or_arcname
        if compress_type is not None:
            zinfo.compress_type = compress_type
        if compresslevel is not None:
            zinfo._compresslevel = compresslevel
        key = (*(getattr(zinfo, name) for name in _PART_FIELDS), data)
        known = _WRITTEN.get(key)
        if known is None or not self.fp or self._writing:
            super().writestr(zinfo, data)
            self._remember(key, zinfo)
            return None
        _WRITTEN.move_to_end(key)
        written, local = known
        with self._lock:  # what ZipFile.writestr does, the deflating done already
            self.fp.seek(self.start_dir)
            zinfo.header_offset = self.fp.tell()
            for name in _WRITTEN_FIELDS:
                setattr(zinfo, name, getattr(written, name))
            self._writecheck(zinfo)
            self._didModify = True
            self.fp.write(local)
            self.start_dir = self.fp.tell()
            self.filelist.append(zinfo)
            self.NameToInfo[zinfo.filename] = zinfo
        return None

    def _remember(self, key: tuple, zinfo: zipfile.ZipInfo) -> None:
        """Keep the part just written, the second time it is written (a worksheet is written once:
        keeping it would push out the parts that repeat): its local header and compressed bytes,
        as they are in the file."""
        seen = hash(key)
        if seen not in _SEEN:
            _SEEN[seen] = None
            if len(_SEEN) > _SEEN_PARTS:
                _SEEN.popitem(last=False)
            return
        try:
            self.fp.seek(zinfo.header_offset)
            local = self.fp.read(self.start_dir - zinfo.header_offset)
        except (OSError, io.UnsupportedOperation):  # a write-only stream: nothing to read back
            return
        finally:
            self.fp.seek(self.start_dir)
        _WRITTEN[key] = (copy.copy(zinfo), local)
        if len(_WRITTEN) > _REUSE_PARTS:
            _WRITTEN.popitem(last=False)


# what decides a part's local header and compressed bytes, besides its data ...
_PART_FIELDS = (
    "filename",
    "date_time",
    "compress_type",
    "_compresslevel",
    "comment",
    "extra",
    "create_system",
    "create_version",
    "extract_version",
    "reserved",
    "volume",
    "internal_attr",
    "external_attr",
)
# ... and what writing it sets (the offset aside)
_WRITTEN_FIELDS = ("CRC", "compress_size", "file_size", "flag_bits", "external_attr")
_REUSE_SIZE = 1 << 16  # a worksheet's XML is larger and never repeats; theme1.xml is 7 KB
_REUSE_PARTS = 256  # parts written twice, the most recent kept
_WRITTEN: OrderedDict[tuple, tuple[zipfile.ZipInfo, bytes]] = OrderedDict()
_SEEN_PARTS = 4096  # hashes of the parts last written once
_SEEN: OrderedDict[int, None] = OrderedDict()


class FixedTimeZip(ReusingZip):
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


def _file_mode() -> int:
    """0644 under the usual umask: a temp file is created 0600, an output is for others to read."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, data: bytes) -> Path:
    fd, tmp = _temporary_beside(path)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file written while it is formatted (a county's summary is ~30 MB), put in place only
    when whole — write_atomic for a stream."""
    fd, tmp = _temporary_beside(path)
    try:
        os.fchmod(fd, _file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new, empty temporary file in `path`'s folder (made when missing), open for writing,
    0600 as mkstemp makes it: `.~tmp-<pid>-<n><suffix>`, numbered by this process — mkstemp's
    random name, its checks and a mkdir per file cost more than writing a small output. A name
    already there (a crashed run's leftover) is never opened: mkstemp then picks another."""
    name = os.path.join(path.parent, f".~tmp-{os.getpid()}-{next(_TEMPORARIES)}{path.suffix}")
    try:
        return os.open(name, _CREATE_NEW, 0o600), name
    except FileNotFoundError:  # a new folder: made, then the name tried again
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            return os.open(name, _CREATE_NEW, 0o600), name
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)  # anything else: the way it always went, its errors too
    return tempfile.mkstemp(prefix=".~tmp-", suffix=path.suffix, dir=path.parent)


_TEMPORARIES = itertools.count()
# mkstemp's flags: a new file only, never through a link, not inherited by child processes
_CREATE_NEW = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOINHERIT", 0)
    | getattr(os, "O_BINARY", 0)
)


# Why a file operation failed, in the words a clerk can act on (errno → reason, how to fix).
_REASONS = {
    errno.ENOSPC: ("磁盘空间不足", "请腾出空间后重新运行"),
    errno.EDQUOT: ("磁盘配额已用完", "请腾出空间后重新运行"),
    errno.EROFS: ("所在的文件系统是只读的", "请改用可写的位置（--out）"),
    errno.EACCES: ("没有写入权限", "请检查文件夹权限，或用 --out 改到可写的位置"),
    errno.EPERM: ("操作不被允许", "请检查文件夹权限，或用 --out 改到可写的位置"),
    errno.ENOTDIR: ("路径中有一级是文件而不是文件夹", "请改名或移走该文件"),
    errno.EEXIST: ("已有同名的文件", "请改名或移走该文件"),
    errno.EISDIR: ("这是一个文件夹", "请改名或移走该文件夹"),
}


def describe_os_error(exc: OSError, path: Path | str | None = None, action: str = "写入") -> str:
    """One Chinese sentence for a failed file operation: the path, why, and what to do."""
    where = exc.filename if exc.filename is not None else path
    reason, advice = _REASONS.get(exc.errno or -1, (exc.strerror or str(exc), "请检查后重新运行"))
    return f"无法{action} {where}：{reason}。{advice}" if where is not None else f"无法{action}：{reason}。{advice}"
