"""Explanations for a query/document pair: readable shared terms, a reason line, highlight spans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matchmaker.engine.terms import find_spans, readable_terms, reason_line
from matchmaker.engine.types import Document, Explanation, Hit

if TYPE_CHECKING:
    from matchmaker.engine.index import Index

__all__ = ["explain", "explain_unindexed", "find_spans", "readable_terms"]


def _doc_fields(doc: Document) -> list[tuple[str, str]]:
    fields = [("title", doc.title), ("text", doc.text)]
    fields += [(f"keywords[{i}]", kw) for i, kw in enumerate(doc.keywords)]
    if doc.indicators:
        fields.append(("indicators", doc.indicators))
    return [(name, text) for name, text in fields if text]


def _explanation(index: Index, query: str | Document | None, doc: Document, hit: Hit) -> Explanation:
    norm = index.analyzer.normalize_with_map
    highlight = list(hit.terms)
    doc_norm = index.analyzer.normalize("\n".join([doc.title, *doc.keywords, doc.indicators, doc.text]))
    pairs = tuple((a, b) for a, b in index.expansions(query) if b in doc_norm)
    q_fields = [("query", query)] if isinstance(query, str) else _doc_fields(query) if query else []
    q_spans = [s for name, text in q_fields for s in find_spans(norm(text), highlight, name)]
    d_spans = [s for name, text in _doc_fields(doc) for s in find_spans(norm(text), highlight, name)]
    return Explanation(
        doc.id,
        hit.score,
        hit.raw_score,
        hit.terms,
        hit.contributions,
        tuple(q_spans),
        tuple(d_spans),
        reason_line(hit.terms, pairs),
        pairs,
    )


def explain(index: Index, query: str | Document | None, doc_id: str) -> Explanation | None:
    """Shared terms, their contributions, a reason line and spans in both texts; None if nothing is shared."""
    hit = index.score_of(query, doc_id)
    doc = index.get(doc_id)
    if hit is None or doc is None:
        return None
    return _explanation(index, query, doc, hit)


def explain_unindexed(index: Index, query: str | Document | None, document: Document) -> Explanation | None:
    """:func:`explain` for a document that is not in the index (a draft), read only.

    The document is scored with the index's statistics (:meth:`Index.score_document`); the
    index is not changed, so explaining a draft never adds it to anyone's results.
    """
    hit = index.score_document(query, document)
    if hit is None:
        return None
    return _explanation(index, query, document, hit)
