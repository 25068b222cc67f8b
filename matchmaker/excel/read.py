"""Read an uploaded .xlsx safely: bounded size, zip-bomb checks, no formulas, checked headers.

``read_rows`` never raises on hostile input; every refusal is a ``Problem`` with a stable code:
``empty``, ``too_large``, ``not_xlsx``, ``zip_bomb``, ``bad_headers``, ``too_many_rows`` (file
level, no rows returned) and ``formula`` (row level: that row is left out, the others are kept).
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.styles.numbers import is_datetime  # type: ignore[import-untyped]

from ._zipcheck import ZipLimits, check_zip
from .cells import normalize_header, unescape_formula

MIB = 1 << 20
FILE_LEVEL = frozenset({"empty", "too_large", "not_xlsx", "zip_bomb", "bad_headers", "too_many_rows"})
# Where we look for the header row, and how far past the real rows blank ones may run.
HEADER_SEARCH_ROWS = 10
EXTRA_HEADER_COLUMNS = 64


@dataclass(frozen=True)
class Problem:
    """Something wrong with the upload; ``row`` is the Excel row number, ``column`` the header."""

    row: int | None
    column: str | None
    code: str
    message: str


@dataclass(frozen=True)
class ReadRow:
    """One data row: Excel row number and values keyed by the expected header spelling."""

    number: int
    values: Mapping[str, object]


@dataclass(frozen=True)
class ReadResult:
    """Rows that passed, and every problem found."""

    rows: tuple[ReadRow, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is nothing to report."""
        return not self.problems

    @property
    def fatal(self) -> bool:
        """True when the file as a whole was refused."""
        return any(p.code in FILE_LEVEL for p in self.problems)


def read_rows(
    data: bytes,
    expected_headers: Sequence[str],
    *,
    max_bytes: int = 5 * MIB,
    max_rows: int = 20_000,
    max_cells: int = 1_000_000,
    max_uncompressed: int = 50 * MIB,
    max_members: int = 1_000,
    max_ratio: float = 200.0,
) -> ReadResult:
    """The data rows of the first sheet of an uploaded .xlsx, or the problems that stop the import."""
    if not data:
        return _refuse("empty", "the file is empty")
    if len(data) > max_bytes:
        return _refuse("too_large", f"file is {len(data)} bytes (limit {max_bytes})")
    refused = check_zip(data, ZipLimits(max_members, max_uncompressed, max_ratio))
    if refused is not None:
        return _refuse(*refused)
    try:
        # openpyxl warns about unsupported extensions in ordinary files; a warning turned into an
        # error (pytest's filterwarnings=error) must not make a good file look broken.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(data, expected_headers, max_rows, max_cells)
    except Exception as exc:  # noqa: BLE001 - hostile input may break the parser in any way
        return _refuse("not_xlsx", f"workbook could not be parsed ({type(exc).__name__})")


def _refuse(code: str, message: str) -> ReadResult:
    return ReadResult((), (Problem(None, None, code, message),))


def _read(data: bytes, expected: Sequence[str], max_rows: int, max_cells: int) -> ReadResult:
    # data_only=False on purpose: formulas come back as formula text (data_type "f") so they can
    # be refused.  Nothing is ever evaluated, and cached results, which a file can forge, are ignored.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if not workbook.worksheets:
            # Excel cannot save a workbook without a worksheet, so this is not a real upload.
            return _refuse("not_xlsx", "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=len(expected) + EXTRA_HEADER_COLUMNS)
        return _read_sheet(rows, expected, max_rows, max_cells)
    finally:
        workbook.close()


def _read_sheet(rows: Iterator[Any], expected: Sequence[str], max_rows: int, max_cells: int) -> ReadResult:
    header = _find_header(rows)
    if header is None:
        return _refuse("empty", "no header row in the first rows of the sheet")
    header_number, header_cells = header
    columns, header_problems = _match_headers(header_cells, expected, header_number)
    if header_problems:
        return ReadResult((), tuple(header_problems))
    width = max(columns) + 1
    out: list[ReadRow] = []
    problems: list[Problem] = []
    limit = min(max_rows, max_cells // width)
    # Blank rows cost parsing time too (a sheet can claim a million), so they count towards a looser bound.
    scan_limit = 3 * max_rows + 100
    data_rows = 0
    for scanned, cells in enumerate(rows, start=1):
        if scanned > scan_limit:
            return _refuse("too_many_rows", f"more than {scan_limit} rows after the header, blank or not")
        if _is_blank(cells[:width]):
            continue
        data_rows += 1
        if data_rows > limit:
            return _refuse("too_many_rows", f"more than {limit} data rows")
        row = _read_row(cells, columns, header_number + scanned, problems)
        if row is not None:
            out.append(row)
    if not out and not problems:
        return _refuse("empty", "the sheet has a header but no data rows")
    return ReadResult(tuple(out), tuple(problems))


def _find_header(rows: Iterator[Any]) -> tuple[int, tuple[Any, ...]] | None:
    for number, cells in enumerate(rows, start=1):
        if not _is_blank(cells):
            return number, cells
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _match_headers(cells: Sequence[Any], expected: Sequence[str], row: int) -> tuple[dict[int, str], list[Problem]]:
    """Map column index to expected header; report missing, unexpected and repeated headers."""
    wanted = {normalize_header(h): h for h in expected}
    columns: dict[int, str] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        if cell.value is None or not str(cell.value).strip():
            continue
        found = unescape_formula(str(cell.value))
        name = wanted.get(normalize_header(found))
        if name is None:
            problems.append(Problem(row, found.strip(), "bad_headers", "unexpected column"))
        elif name in columns.values():
            problems.append(Problem(row, name, "bad_headers", "column appears twice"))
        else:
            columns[index] = name
    for name in expected:
        if name not in columns.values():
            problems.append(Problem(row, name, "bad_headers", "missing column"))
    return columns, problems


def _read_row(cells: Sequence[Any], columns: dict[int, str], number: int, problems: list[Problem]) -> ReadRow | None:
    values: dict[str, object] = {name: None for name in columns.values()}
    clean = True
    for index, name in columns.items():
        cell = cells[index] if index < len(cells) else None
        if cell is None or cell.value is None:
            continue
        if cell.data_type == "f":
            problems.append(Problem(number, name, "formula", "formulas are not imported; type the value instead"))
            clean = False
            continue
        values[name] = _value(cell)
    return ReadRow(number, values) if clean else None


def _value(cell: Any) -> object:
    value = cell.value
    if isinstance(value, str):
        return unescape_formula(value)
    # openpyxl returns every Excel date as a datetime; a date-only format means a plain date.
    if isinstance(value, dt.datetime) and value.time() == dt.time() and is_datetime(cell.number_format) == "date":
        return value.date()
    return value


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells)
