"""Readable shared terms and highlight spans for a query/document pair."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from matchmaker.engine.types import Contribution, Document, Explanation, Span

if TYPE_CHECKING:
    from matchmaker.engine.index import Index


def _char_spans(runs: Sequence[Sequence[str]], weights: dict[str, float], doc: str) -> list[tuple[str, float]]:
    """Merge chains of matched bigrams into phrases that occur in the document as such.

    Each distinct n-gram's weight is counted once, in the first phrase holding it.
    """
    used: set[str] = set()
    out: list[tuple[str, float]] = []
    for units in runs:
        i = 0
        while i < len(units) - 1:
            j = i
            while j < len(units) - 1 and units[j] + units[j + 1] in weights and "".join(units[i : j + 2]) in doc:
                j += 1
            if j == i:
                i += 1
                continue
            grams = [units[p] + units[p + 1] for p in range(i, j)] + list(units[i : j + 1])
            weight = sum(weights.get(g, 0.0) for g in set(grams) - used)
            used.update(grams)
            out.append(("".join(units[i : j + 1]), weight))
            i = j + 1
    return out


def readable_terms(
    runs: Sequence[Sequence[str]], char_contrib: Iterable[Contribution], word_contrib: Iterable[Contribution], doc: str
) -> list[tuple[str, float]]:
    """Phrases and words shared with a document (``doc``: its normalized text), strongest first."""
    char_w = dict(char_contrib)
    word_w = dict(word_contrib)
    merged: dict[str, float] = {}
    for phrase, weight in _char_spans(runs, char_w, doc):
        merged[phrase] = merged.get(phrase, 0.0) + weight
    for word, weight in word_w.items():
        home = next((p for p in merged if word in p), None)
        if home is None:
            merged[word] = merged.get(word, 0.0) + weight
        else:
            merged[home] += weight
    for term, weight in char_w.items():  # lone ASCII words and unmerged single words
        if len(term) > 1 and term.isascii() and not any(term in p for p in merged):
            merged[term] = weight
    return sorted(merged.items(), key=lambda tw: (-tw[1], tw[0]))


def find_spans(analyzer_norm: tuple[str, list[int]], terms: Sequence[str], field: str) -> list[Span]:
    """Non-overlapping occurrences of the terms (longest first) in one normalized field."""
    norm, starts = analyzer_norm
    taken = [False] * len(norm)
    spans: list[Span] = []
    for term in sorted(set(terms), key=len, reverse=True):
        pos = norm.find(term) if term else -1
        while pos >= 0:
            end = pos + len(term)
            if not any(taken[pos:end]):
                taken[pos:end] = [True] * len(term)
                orig_end = starts[end] if end < len(starts) else starts[-1] + 1
                spans.append(Span(field, starts[pos], orig_end, term))
            pos = norm.find(term, end)
    return sorted(spans, key=lambda s: s.start)


def _doc_fields(doc: Document) -> list[tuple[str, str]]:
    fields = [("title", doc.title), ("text", doc.text)]
    fields += [(f"keywords[{i}]", kw) for i, kw in enumerate(doc.keywords)]
    return [(name, text) for name, text in fields if text]


def explain(index: Index, query: str | Document | None, doc_id: str) -> Explanation | None:
    """Shared terms, their contributions and spans in both texts; None if nothing is shared."""
    hit = index.score_of(query, doc_id)
    doc = index.get(doc_id)
    if hit is None or doc is None:
        return None
    norm = index.analyzer.normalize_with_map
    highlight = list(hit.terms)
    q_fields = [("query", query)] if isinstance(query, str) else _doc_fields(query) if query else []
    q_spans = [s for name, text in q_fields for s in find_spans(norm(text), highlight, name)]
    d_spans = [s for name, text in _doc_fields(doc) for s in find_spans(norm(text), highlight, name)]
    return Explanation(doc_id, hit.score, hit.raw_score, hit.terms, hit.contributions, tuple(q_spans), tuple(d_spans))
