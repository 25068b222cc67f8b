"""Reverse matching: the per-process engine Index of the active subscriptions, searched with a new posting.

A new posting is the query and the subscriptions are the documents (a saved search's text; for a posting
subscription the subscribed posting's title, keywords and body), so publishing costs one engine search over the
subscriptions instead of one search per subscription. The reverse hit only *finds candidates* (a subscription
sharing at least one term with the posting); whether a candidate alerts is then decided on the scale people see:
the search score of its text against the posting (SEARCH_MIN_SCORE, as on the search pages), or the pair score of
its posting and the new one (services/matching/suggestions.pair_hit, shown 0..100) against its `min_score`.

The index is built with the match index's Analyzer (same tokenizer, dictionary and chain vocabulary) and
`max_df=1.0`: with a few dozen subscriptions every shared term is rare enough to matter. It is kept per process
and database, and rebuilt from the database when the active subscriptions' (count, newest id, newest change)
or the analyzer's vocabulary or the chains' synonyms differ from what it was built from: one aggregate query per
publication.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from matchmaker.engine import Analyzer, Document, Index, IndexConfig, build_index
from matchmaker.extensions import db
from matchmaker.models import Need, Result, Subscription
from matchmaker.services.matching import index as match_index

CONFIG = IndexConfig(max_df=1.0)
"""The match index's ranking parameters, except that no term is too common to count (see above)."""


@dataclass
class SubscriptionIndex:
    """One process's index of one database's active subscriptions."""

    stamp: tuple[object, ...]
    index: Index
    target_kind: dict[str, str] = field(default_factory=dict)
    """Engine id ("s12") -> the kind of posting that subscription wants."""


_indexes: dict[str, SubscriptionIndex] = {}
_lock = threading.Lock()


def doc_id(subscription_id: int) -> str:
    return f"s{subscription_id}"


def _stamp(vocabulary: str) -> tuple[object, ...]:
    row = db.session.execute(select(func.count(Subscription.id), func.max(Subscription.id),
                                    func.max(Subscription.updated_at)).where(Subscription.active.is_(True))).one()
    return (vocabulary, row[0], row[1], str(row[2]))


def _document(sub: Subscription, postings: dict[tuple[str, int], Result | Need], match: Index) -> Document | None:
    if sub.kind == "search":
        # The search page expands a firm word with the chains' synonyms (清洗剂 ≈ 表面活性剂): the expanded terms
        # go in too, so a posting that only holds the technical term is still a candidate.
        terms = tuple(dict.fromkeys(term for _word, term in match.expansions(sub.q)))
        return Document(id=doc_id(sub.id), title=sub.q, keywords=terms)
    own = postings.get((sub.posting_kind, sub.posting_id or 0))
    if own is None:
        return None
    return Document(id=doc_id(sub.id), title=own.title, text=own.narrative, keywords=tuple(own.keywords or ()),
                    indicators=own.stated_indicators)


def _build(stamp: tuple[object, ...], analyzer: Analyzer, match: Index) -> SubscriptionIndex:
    subs = list(db.session.scalars(select(Subscription).where(Subscription.active.is_(True))))
    postings: dict[tuple[str, int], Result | Need] = {}
    for kind, model in (("result", Result), ("need", Need)):
        ids = {s.posting_id for s in subs if s.kind == "posting" and s.posting_kind == kind and s.posting_id}
        if ids:
            postings.update({(kind, p.id): p for p in db.session.scalars(select(model).where(model.id.in_(ids)))})
    docs = [d for d in (_document(s, postings, match) for s in subs) if d is not None]
    index = build_index(docs, analyzer, CONFIG)
    return SubscriptionIndex(stamp, index, {doc_id(s.id): s.target_kind for s in subs})


def current() -> SubscriptionIndex:
    """The subscription index for this database, rebuilt first when the subscriptions or vocabulary changed."""
    state = match_index.current()
    stamp = _stamp(f"{state.vocabulary}|{state.lexicon}")
    key = str(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with _lock:
        found = _indexes.get(key)
        if found is None or found.stamp != stamp:
            found = _indexes[key] = _build(stamp, state.analyzer, state.index)
        return found


def candidates(posting: Result | Need) -> list[int]:
    """Ids of active subscriptions wanting this posting's kind that share at least one term with it."""
    subs = current()
    if not len(subs.index):
        return []
    query = match_index.document_for(posting)
    query = Document(id="", title=query.title, text=query.text, keywords=query.keywords)  # no chain sense here
    wanted = {i for i, kind in subs.target_kind.items() if kind == posting.kind}
    if not wanted:
        return []
    hits = subs.index.search(query, k=len(subs.index), filter=wanted, min_score=1e-9, with_terms=False)
    return [int(h.doc_id[1:]) for h in hits]


def forget() -> None:
    """Drop this process's subscription index for the current database (tests switch databases)."""
    with _lock:
        _indexes.pop(str(current_app.config["SQLALCHEMY_DATABASE_URI"]), None)
