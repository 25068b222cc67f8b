"""Cell-level rules shared by export, template and import: formula escaping, value coercion, headers."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

# OWASP CSV/formula injection: a text cell starting with one of these may be run as a formula
# by Excel, LibreOffice or a CSV re-save.  Tab and CR are included because some tools strip them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# The escape is applied to any run of apostrophes followed by a trigger, so the mapping is a
# bijection: unescape(escape(s)) == s for every string, including ones that already start with "'".
_ESCAPED = re.compile(r"'*[=+\-@\t\r]")
_UNESCAPE = re.compile(r"'+[=+\-@\t\r]")
# XML 1.0 cannot carry these control characters; openpyxl raises on them, so we drop them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL_TEXT = 32_767  # Excel's limit on characters in one cell
MULTI_SEPARATORS = ("、", ",", "，")
_MULTI_SPLIT = re.compile("|".join(map(re.escape, MULTI_SEPARATORS)))
_SPACES = re.compile(r"\s+")
_NEWLINES = re.compile(r"\r\n?")


def escape_formula(text: str) -> str:
    """Prefix one apostrophe when ``text`` (after any apostrophes) starts with = + - @ tab or CR."""
    return ESCAPE + text if _ESCAPED.match(text) else text


def unescape_formula(text: str) -> str:
    """Undo ``escape_formula``: drop one leading apostrophe before apostrophes and a trigger."""
    return text[1:] if _UNESCAPE.match(text) else text


def to_cell(value: object) -> object:
    """A value openpyxl can write safely: escaped text, naive datetimes, finite numbers or None."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        # Excel has no time zones; store aware values as UTC wall time rather than fail.
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date | dt.timedelta):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(map(str, value)) if isinstance(value, set | frozenset) else map(str, value)
        return to_cell(MULTI_SEPARATORS[0].join(items))
    # XML turns CR and CRLF into LF on the way back anyway; doing it here keeps export == import.
    text = _ILLEGAL.sub("", _NEWLINES.sub("\n", str(value)))
    # Escape before truncating so the prefix survives; empty text becomes an empty cell.
    return escape_formula(text)[:MAX_CELL_TEXT] if text else None


def split_multi(text: str | None) -> tuple[str, ...]:
    """Split a multiple-choice cell on "、", "," or full-width "，", dropping blanks."""
    if not text:
        return ()
    return tuple(part.strip() for part in _MULTI_SPLIT.split(text) if part.strip())


def normalize_header(text: object) -> str:
    """Header key that ignores whitespace, full-width forms and case: "　ＴＲＬ " == "trl"."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def display_width(text: str) -> float:
    """Approximate column width in Excel units; CJK characters take two."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return len(text) + wide


def default_width(header: str, extra: Iterable[str] = ()) -> float:
    """A readable width for a column: its header or longest sample, between 8 and 60."""
    longest = max([display_width(header), *map(display_width, extra)])
    return min(max(longest + 2, 8), 60)
