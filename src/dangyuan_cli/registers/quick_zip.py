"""A plain workbook's zip read straight from its bytes, for the size look before calamine reads it
(`limits`): the part of `zipfile.ZipFile` that look uses, without its per-entry objects and
streams (c50, 162 workbooks: the look took 0.088 s CPU with zipfile).

Only the zip every spreadsheet program writes is read here: the directory at the very end, no
comment, ASCII part names, each part stored or deflated and read back whole with its CRC.
Anything else raises `Unusual`, and the caller reads the file with `zipfile` instead, so an odd
or hostile file gets exactly the answer (and the message) it got before.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 16 << 20  # a bigger file, or part, is read by zipfile, which streams it
_END = struct.Struct("<4s4H2LH")  # end of central directory, 22 bytes
_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # central directory entry, 46 bytes (zipfile's layout)
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header, 30 bytes
_ZIP64_LOCATOR = b"PK\x06\x07"
_MAX_VERSION = 63  # zipfile refuses a later one
_ODD_FLAGS = 0x01 | 0x20 | 0x40  # encrypted, patched data, strong encryption


class Unusual(Exception):
    """Not the plain zip read here: let zipfile read it."""


@dataclass(frozen=True, slots=True)
class Part:
    filename: str
    file_size: int
    compress_size: int
    method: int
    crc: int
    offset: int  # of its local header
    raw_name: bytes


class QuickZip:
    """`infolist`, `open` and `read` of `zipfile.ZipFile`, over the file's bytes read at once."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                raise Unusual("large")
            self.data = fh.read()  # sized by the file: read(n) would allocate n bytes first
        self.parts = _directory(self.data)

    def infolist(self) -> list[Part]:
        return self.parts

    def read(self, part: Part) -> bytes:
        if part.file_size > MAX_BYTES:
            raise Unusual("large part")  # held whole here: zipfile streams it instead
        data = self.data
        try:
            sig, _, _, _, _, _, _, _, _, _, name_len, extra_len = _LOCAL.unpack_from(data, part.offset)
        except struct.error:
            raise Unusual("local header") from None
        start = part.offset + _LOCAL.size
        if sig != b"PK\x03\x04" or data[start : start + name_len] != part.raw_name:
            raise Unusual("local header")
        start += name_len + extra_len
        packed = data[start : start + part.compress_size]
        if len(packed) != part.compress_size:
            raise Unusual("truncated")
        if part.method == 0:
            found = packed
        else:
            inflate = zlib.decompressobj(-15)
            try:
                found = inflate.decompress(packed, part.file_size + 1)  # never more than it says
            except zlib.error:
                raise Unusual("deflate") from None
            if not inflate.eof:
                raise Unusual("deflate")
        if len(found) != part.file_size or zlib.crc32(found) != part.crc:
            raise Unusual("size or crc")
        return found

    def open(self, part: Part) -> io.BytesIO:
        return io.BytesIO(self.read(part))

    def __enter__(self) -> QuickZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.data = b""


def _directory(data: bytes) -> list[Part]:
    """The central directory's entries, in order; `Unusual` for anything but the plain layout."""
    end = len(data) - _END.size
    if end < 0:
        raise Unusual("short")
    sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = _END.unpack_from(data, end)
    if sig != b"PK\x05\x06" or disk or cd_disk or on_disk != count or comment:
        raise Unusual("end record")
    if cd_offset + cd_size != end or data[end - 20 : end - 16] == _ZIP64_LOCATOR:
        raise Unusual("directory place")  # prepended bytes, zip64, or a gap
    parts = []
    seen = set()
    pos = cd_offset
    for _ in range(count):
        if pos + _ENTRY.size > end:
            raise Unusual("directory")
        entry = _ENTRY.unpack_from(data, pos)
        sig, version, flags, method, crc, packed, size = entry[0], entry[3], entry[5], entry[6], *entry[9:12]
        name_len, extra_len, comment_len, offset = entry[12], entry[13], entry[14], entry[18]
        raw = data[pos + _ENTRY.size : pos + _ENTRY.size + name_len]
        pos += _ENTRY.size + name_len + extra_len + comment_len
        if (
            sig != b"PK\x01\x02"
            or version > _MAX_VERSION
            or flags & _ODD_FLAGS
            or method not in (0, 8)
            or (method == 0 and packed != size)
            or extra_len  # zipfile checks extra fields (and zip64 sizes live there)
            or not raw.isascii()
            or b"\0" in raw
            or raw in seen
        ):
            raise Unusual("entry")
        seen.add(raw)
        parts.append(Part(raw.decode("ascii"), size, packed, method, crc, offset, raw))
    if pos != end:
        raise Unusual("directory size")
    return parts
