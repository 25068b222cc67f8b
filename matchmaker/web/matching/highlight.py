"""Marking the shared terms of an explanation in the original text, escaped."""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from matchmaker.engine import Span


def highlight(text: str, spans: Iterable[Span], field: str) -> Markup:
    """`text` with each span of `field` wrapped in <mark class="term">; everything else escaped."""
    out: list[str] = []
    cursor = 0
    for span in sorted((s for s in spans if s.field == field), key=lambda s: s.start):
        if span.start < cursor or span.end > len(text):
            continue
        out.append(str(escape(text[cursor:span.start])))
        out.append(f'<mark class="term" title="{escape(span.term)}">{escape(text[span.start:span.end])}</mark>')
        cursor = span.end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))  # noqa: S704 - every piece above is escaped
