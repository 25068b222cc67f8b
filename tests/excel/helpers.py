"""Small builders shared by the excel tests."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook  # type: ignore[import-untyped]


def workbook_bytes(*rows: list[object]) -> bytes:
    """An ordinary (not write-only) workbook holding ``rows`` on its first sheet."""
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of the .xlsx ``data`` with some members replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()
