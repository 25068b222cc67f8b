"""Near-duplicate flags on submitted postings: the same shingle Jaccard and DUPLICATE_THRESHOLD as imports.

A posting is compared with the published ones (through the match index) and with those not yet public that a
reviewer or its owner would otherwise see side by side without a warning: the owner's own drafts and pending
postings and everything in the review queue.
"""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from sqlalchemy import or_, select

from matchmaker.engine import Analyzer, Document, near_duplicates
from matchmaker.engine.dedupe import full_text, jaccard, shingles
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.index import doc_id, parse_doc_id

Posting = Result | Need
UNPUBLISHED_LIMIT = 500
"""The unpublished postings compared one by one (newest first): the queue and one owner's drafts stay far below."""


def flag_duplicate(posting: Posting) -> None:
    """Mark a posting that nearly repeats a published one, another in the review queue or one of the owner's own
    drafts (reviewer and owner see it); the most similar one is kept.

    Nothing is flushed meanwhile: a pending change of the caller's would take the database's write lock
    (SQLite: the whole database) for as long as the comparisons run."""
    with db.session.no_autoflush:
        document = document_for_unsaved(posting)
        found = duplicates_of(document, posting.kind, exclude=doc_id(posting.kind, posting.id or 0))
        found += unpublished_duplicates_of(document, posting)
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    posting.duplicate_of_id, posting.duplicate_score = (found[0][0], found[0][1]) if found else (None, None)


def document_for_unsaved(posting: Posting) -> Document:
    chain = db.session.get(Chain, posting.chain_id) if posting.chain_id else None
    return Document(id=doc_id(posting.kind, posting.id or 0), title=posting.title, text=posting.body,
                    keywords=tuple(posting.keywords or ()), chain=chain.code if chain else None)


def duplicates_of(document: Document, kind: str, *, exclude: str | None = None) -> list[tuple[int, float]]:
    """(posting id, similarity) of published postings of `kind` that nearly repeat the document."""
    if not match_index.enabled():
        return []
    threshold = current_app.config["DUPLICATE_THRESHOLD"]
    with match_index.reading() as state:
        found = near_duplicates(state.index, document, threshold=threshold)
    return [(parse_doc_id(i)[1], sim) for i, sim in found if i.startswith(kind + ":") and i != exclude]


def unpublished_duplicates_of(document: Document, posting: Posting) -> list[tuple[int, float]]:
    """(posting id, similarity) of pending postings of the same kind and the owner's own drafts like this one."""
    if not match_index.enabled():
        return []
    analyzer = match_index.current().analyzer
    threshold = current_app.config["DUPLICATE_THRESHOLD"]
    model = type(posting)
    stmt = select(model).where(or_(model.status == "pending",
                                   (model.owner_id == posting.owner_id) & (model.status == "draft")))
    base = shingles(analyzer, full_text(document))
    found = []
    for other in db.session.scalars(stmt.order_by(model.id.desc()).limit(UNPUBLISHED_LIMIT)):
        if other is posting:
            continue
        sim = jaccard(base, _shingles_of(analyzer, full_text(Document("", other.title, other.body,
                                                                      tuple(other.keywords or ())))))
        if sim >= threshold:
            found.append((other.id, sim))
    return found


@lru_cache(maxsize=4096)
def _shingles_of(analyzer: Analyzer, text: str) -> frozenset[str]:
    """The shingles of a text, kept (each submit compares the whole review queue again)."""
    return shingles(analyzer, text)
