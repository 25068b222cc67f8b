"""Searching results and needs: the engine ranks published postings, SQL applies the filters, one page is loaded.

The engine returns at most SEARCH_MAX_HITS ids above SEARCH_MIN_SCORE; one SQL query keeps those that pass the
filters (in rank or date order); only the page's rows are then loaded and marked. Without a query, or where the
app runs without a match index, the list is plain SQL (newest first, literal text match), paginated in SQL.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.matching import index as match_index
from matchmaker.services.postings import lifecycle
from matchmaker.services.postings.lifecycle import Posting, PostingFilter
from matchmaker.services.search.results import EmptyHelp, Found, SearchPage, pick_sort
from matchmaker.services.search.text import clean_query, mark, snippet


def search_postings(kind: str, flt: PostingFilter, *, sort: str = "", page: int = 1, per_page: int = 20
                    ) -> SearchPage:
    """Published postings of `kind` for the filter's query and filters, one page, hits marked."""
    lifecycle.model_for(kind)
    q, cut = clean_query(flt.q, current_app.config["SEARCH_MAX_CHARS"])
    sort, page = pick_sort(sort, q), max(page, 1)
    if not q or not match_index.enabled():
        rows, total = lifecycle.list_public(kind, replace(flt, q=q), page=page, per_page=per_page)
        terms, sort = {p.id: q.split() for p in rows}, "date"  # nothing ranks without the engine
    else:
        ids = matching_ids(kind, q, flt, sort)
        total, page_ids = len(ids), ids[(page - 1) * per_page:page * per_page]
        rows, terms = lifecycle.load_in_order(lifecycle.model_for(kind), page_ids), _terms(kind, q, page_ids)
    items = [_found(p, terms.get(p.id, ())) for p in rows]
    help_ = empty_help(kind, q, flt) if q and not total else None
    return SearchPage(items, total, page, per_page, q=q, sort=sort, truncated=cut, help=help_)


def ranked_ids(kind: str, q: str) -> list[int]:
    """Ids of published postings of `kind` the engine finds for `q`, best first (capped, above the minimum)."""
    prefix = kind + ":"
    with match_index.reading() as state:  # held still: another thread may be applying a change meanwhile
        hits = state.index.search(q, k=current_app.config["SEARCH_MAX_HITS"], filter=lambda i: i.startswith(prefix),
                                  min_score=current_app.config["SEARCH_MIN_SCORE"], with_terms=False)
    return [match_index.parse_doc_id(h.doc_id)[1] for h in hits]


def matching_ids(kind: str, q: str, flt: PostingFilter, sort: str) -> list[int]:
    """The ranked ids that pass the filters (one SQL query), in rank or date order."""
    ranked = ranked_ids(kind, q)
    if not ranked:
        return []
    model = lifecycle.model_for(kind)
    stmt = select(model.id).where(model.id.in_(ranked), model.status.in_(PUBLIC_STATUSES))
    stmt = lifecycle.apply_filter(kind, stmt, replace(flt, q=""))
    if sort == "date":
        return list(db.session.scalars(stmt.order_by(*lifecycle.newest_first(model))))
    rank = {posting_id: n for n, posting_id in enumerate(ranked)}
    return sorted(db.session.scalars(stmt), key=rank.__getitem__)


def _terms(kind: str, q: str, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The terms each posting of the page shares with the query (the engine's readable terms)."""
    if not ids:
        return {}
    wanted = {match_index.doc_id(kind, i) for i in ids}
    with match_index.reading() as state:
        hits = state.index.search(q, k=len(wanted), filter=wanted, min_score=0.0)
    return {match_index.parse_doc_id(h.doc_id)[1]: h.terms for h in hits}


def _found(posting: Posting, terms: Any) -> Found:
    width = current_app.config["SEARCH_SNIPPET_CHARS"]
    return Found(posting, mark(posting.title, terms), snippet(posting.body, terms, width))


def empty_help(kind: str, q: str, flt: PostingFilter) -> EmptyHelp:
    """The nearest chains for the query and, when it finds something, the query without its weakest term."""
    if not match_index.enabled():
        return EmptyHelp()
    return EmptyHelp(chains=nearest_chains(q), shorter=shorter_query(kind, q, flt))


def nearest_chains(q: str, k: int = 2) -> tuple[Chain, ...]:
    """The chains of the published postings (either kind, no filters) nearest to the query, by summed score.

    Read off the index rather than `LoadedIndex.classifier()`: the classifier is refitted on first use after
    every publish, which takes seconds at 10,000 postings: too slow for a search page (the form's chain
    suggestion keeps using it). A query sharing nothing with any posting gets no chain offered.
    """
    votes: dict[str, float] = {}
    with match_index.reading() as state:
        for hit in state.index.search(q, k=50, min_score=0.0, with_terms=False):
            doc = state.index.get(hit.doc_id)
            if doc is not None and doc.chain:
                votes[doc.chain] = votes.get(doc.chain, 0.0) + hit.score
    codes = sorted(votes, key=lambda c: -votes[c])[:k]
    by_code = {c.code: c for c in db.session.scalars(select(Chain).where(Chain.code.in_(codes)))} if codes else {}
    return tuple(by_code[c] for c in codes if c in by_code)


def query_terms(q: str) -> list[str]:
    """The parts a person typed (split at spaces) or, for one run of text, the analyzer's words."""
    parts = q.split()
    if len(parts) > 1:
        return list(dict.fromkeys(parts))
    analyzer = match_index.current().analyzer
    return list(dict.fromkeys(analyzer.words(analyzer.normalize(q))))


def shorter_query(kind: str, q: str, flt: PostingFilter) -> str:
    """The query without the term that keeps it from finding anything: of the queries one term shorter, the one
    finding the most postings under the same filters ("" when there are none, or none finds anything)."""
    terms = query_terms(q)[:8]
    if len(terms) < 2:
        return ""
    best, best_n = "", 0
    for weakest in reversed(terms):  # later terms first: on a tie the person's first words stay
        candidate = " ".join(t for t in terms if t != weakest)
        found = len(matching_ids(kind, candidate, flt, "relevance"))
        if found > best_n:
            best, best_n = candidate, found
    return best
