"""Near-duplicate flags on submitted postings: the same shingle Jaccard and DUPLICATE_THRESHOLD as imports."""
from __future__ import annotations

from flask import current_app

from matchmaker.engine import Document, near_duplicates
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.index import doc_id, parse_doc_id

Posting = Result | Need


def flag_duplicate(posting: Posting) -> None:
    """Mark a submitted posting that nearly repeats a published one of the same kind (reviewer and owner see it)."""
    found = duplicates_of(document_for_unsaved(posting), posting.kind, exclude=doc_id(posting.kind, posting.id))
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
