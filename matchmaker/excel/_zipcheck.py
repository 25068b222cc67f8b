"""Zip-level checks on an upload, done with zipfile before openpyxl parses anything."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

_CHUNK = 1 << 16
# Real .xlsx parts never carry a DTD; one in an upload means entity tricks (XXE, billion laughs).
_DTD = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_OVERLAP = 16


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on the archive: members, total uncompressed bytes, and per-member compression ratio."""

    max_members: int
    max_uncompressed: int
    max_ratio: float
    # Small parts compress wildly (a run of empty cells); the ratio only matters past this size.
    ratio_floor: int = 1 << 20


def check_zip(data: bytes, limits: ZipLimits) -> tuple[str, str] | None:
    """(code, message) if ``data`` is not a sane .xlsx container, else None."""
    if not data.startswith(b"PK\x03\x04"):
        return (
            "not_xlsx",
            "not an .xlsx file (no zip signature); old .xls and encrypted files are not supported",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_members(archive, limits)
    except Exception as exc:  # noqa: BLE001 - any failure to read the archive means "not an xlsx"
        return "not_xlsx", f"unreadable zip archive ({type(exc).__name__})"


def _check_members(archive: zipfile.ZipFile, limits: ZipLimits) -> tuple[str, str] | None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        return "zip_bomb", f"archive holds {len(infos)} members (limit {limits.max_members})"
    if "[Content_Types].xml" not in {info.filename for info in infos}:
        return "not_xlsx", "zip archive is not an Office Open XML workbook"
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        return "zip_bomb", f"archive expands to {total} bytes (limit {limits.max_uncompressed})"
    for info in infos:
        if info.flag_bits & 0x1:
            return "not_xlsx", "archive members are encrypted"
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            return (
                "zip_bomb",
                f"member {info.filename!r} compresses {ratio:.0f}:1 (limit {limits.max_ratio:.0f}:1)",
            )
    for info in infos:
        if _has_dtd(archive, info):
            return "not_xlsx", f"member {info.filename!r} declares a DTD, which workbooks never need"
    return None


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Stream one member, looking for a DTD across chunk borders.

    Reading to the end also makes zipfile check the CRC, and zipfile never yields more than the
    declared size, so a member that lies about its size fails here instead of inside openpyxl.
    """
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            if _DTD.search(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False
