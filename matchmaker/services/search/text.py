"""Search text: the query as searched (cut when too long), and hits marked in a title or a snippet.

Marking escapes first and only then adds <mark>: a title holding markup shows as text, whatever the query.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from markupsafe import Markup, escape

from matchmaker.services import fields


def clean_query(raw: str, limit: int) -> tuple[str, bool]:
    """The query as searched (unprintable characters out, runs of space as one) and whether it was cut."""
    text = " ".join(fields.printable(raw or "").split())
    if len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def _fold(text: str) -> tuple[str, list[int] | None]:
    """NFKC + lowercase as the engine's analyzer does; the map to original positions when lengths differ."""
    norm = unicodedata.normalize("NFKC", text).lower()
    if len(norm) == len(text):
        return norm, None
    parts: list[str] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).lower()
        parts.append(folded)
        starts.extend([i] * len(folded))
    return "".join(parts), starts


def spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) stretches of `text` holding a term, longest terms first, in text order."""
    norm, starts = _fold(text)
    taken = bytearray(len(norm))
    found: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        pos = norm.find(term)
        while pos >= 0:
            end = pos + len(term)
            if not any(taken[pos:end]):
                taken[pos:end] = b"\x01" * len(term)
                found.append((pos, end) if starts is None else (starts[pos], starts[end - 1] + 1))
                pos = norm.find(term, end)
            else:
                pos = norm.find(term, pos + 1)
    return sorted(found)


def mark(text: str, terms: Iterable[str]) -> Markup:
    """The text escaped, with every occurrence of a term wrapped in <mark>."""
    out, at = [], 0
    for start, end in spans(text, terms):
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def snippet(text: str, terms: Iterable[str], width: int = 80) -> Markup:
    """About `width` characters of `text` around its first hit (its start when there is none), marked."""
    flat = " ".join(text.split())
    terms = list(terms)
    hits = spans(flat, terms)
    start = max(hits[0][0] - width // 4, 0) if hits else 0
    end = min(start + width, len(flat))
    piece = mark(flat[start:end], terms)
    return Markup("").join([Markup("…") if start else Markup(""), piece, Markup("…") if end < len(flat) else ""])
