"""Worksheet title rules shared by export and template."""

from __future__ import annotations

import re

MAX_TITLE = 31
_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
# "History" is reserved by Excel for change tracking.
_RESERVED = {"history"}


def safe_sheet_title(title: str, taken: set[str]) -> str:
    """A title Excel accepts and ``taken`` (lower-cased titles) does not hold; adds it to ``taken``."""
    base = _FORBIDDEN.sub("_", title).strip().strip("'").strip() or "Sheet"
    if base.casefold() in _RESERVED:
        base = base + "_"
    base = base[:MAX_TITLE]
    candidate, n = base, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: MAX_TITLE - len(suffix)].rstrip("'") + suffix
    taken.add(candidate.casefold())
    return candidate
