"""Write workbooks for download: streaming (write-only) openpyxl, injection-safe cells."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from .cells import default_width, to_cell
from .sheets import safe_sheet_title

Row = Mapping[str, object] | Sequence[object]


@dataclass(frozen=True)
class Column:
    """One exported column: Chinese header, the dict key it reads, width and Excel number format."""

    header: str
    key: str
    width: float | None = None
    number_format: str | None = None


@dataclass(frozen=True)
class SheetSpec:
    """A sheet to write.  ``rows`` may be a generator (consumed once): dicts by key, or tuples by position."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Row]


def write_workbook(sheets: Sequence[SheetSpec]) -> bytes:
    """The .xlsx bytes of ``sheets``: bold frozen header, set widths, every text cell formula-escaped."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    # Write-only mode streams rows to disk-backed XML, so memory stays flat for big exports.
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    try:
        for spec in sheets:
            sheet = workbook.create_sheet(safe_sheet_title(spec.title, taken))
            _write_sheet(sheet, spec)
    except BaseException:
        # Write-only sheets stream into temp files; saving is openpyxl's only public way to close
        # and delete them, otherwise they leak and the half-run row generator errors on collection.
        with contextlib.suppress(Exception):
            workbook.save(io.BytesIO())
        raise
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_values(row: Row, columns: Sequence[Column]) -> list[object]:
    """The raw values of one row in column order; tuples shorter than the columns are padded."""
    if isinstance(row, Mapping):
        return [row.get(col.key) for col in columns]
    if isinstance(row, str | bytes):
        raise TypeError("a row must be a mapping or a sequence of cells, not a string")
    values = list(row)
    if len(values) > len(columns):
        raise ValueError(f"row has {len(values)} cells for {len(columns)} columns")
    return values + [None] * (len(columns) - len(values))


def _write_sheet(sheet: Any, spec: SheetSpec) -> None:
    # Dimensions and panes must be set before the first row is streamed out.
    for index, col in enumerate(spec.columns, start=1):
        width = col.width if col.width is not None else default_width(col.header)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for col in spec.columns:
        cell = WriteOnlyCell(sheet, value=to_cell(col.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [col.number_format for col in spec.columns]
    styled = any(formats)
    for row in spec.rows:
        values = [to_cell(v) for v in row_values(row, spec.columns)]
        sheet.append(_styled(sheet, values, formats) if styled else values)


def _styled(sheet: Any, values: list[object], formats: list[str | None]) -> list[object]:
    """Wrap values in cells only where a column asks for a number format (cells are slower)."""
    out: list[object] = []
    for value, fmt in zip(values, formats, strict=True):
        if fmt is None or value is None:
            out.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = fmt
        out.append(cell)
    return out
