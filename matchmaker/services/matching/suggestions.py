"""Matching use cases: suggestions both ways with explanations, chain suggestion, duplicates, feedback."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.engine import Document, Explanation, Hit, explain
from matchmaker.engine.explain import explain_unindexed
from matchmaker.engine.terms import reason_terms
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Organization, Result, User
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.index import doc_id, document_for, parse_doc_id
from matchmaker.services.permissions import require_view

Posting = Result | Need
OTHER = {"result": "need", "need": "result"}
T = TypeVar("T")
MEMO_SIZE = 8192
"""Engine answers (hits of a search, the hit of a pair) kept per index state; see `_remembered`."""
_memo: dict[Hashable, Any] = {}
_memo_state: list[tuple[int, int]] = [(0, 0)]


def _remembered(state: match_index.LoadedIndex, key: Hashable, compute: Callable[[], T]) -> T:
    """The engine's answer for `key`, computed once per index state (call it while holding `reading()`).

    The engine answers the same while `Index.mutations` stays the same, so this changes no result: it only
    spares a page viewed again before the index next changes its searches and pair scores. Any change (a
    posting applied from the change log, a rebuild, new synonyms: a new generation) starts afresh. What the
    database says at request time (published or not, the checklist) is read on every request."""
    at = (state.generation, state.index.mutations)
    if _memo_state[0] != at:
        _memo.clear()
        _memo_state[0] = at
    if key in _memo:
        return _memo[key]  # type: ignore[no-any-return]
    value = compute()
    if len(_memo) >= MEMO_SIZE:
        _memo.pop(next(iter(_memo)))
    _memo[key] = value
    return value


@dataclass(frozen=True)
class Check:
    """One line of the compatibility checklist; ok None means unknown (面议, not given)."""

    label: str
    ok: bool | None
    detail: str = ""


@dataclass(frozen=True)
class Suggestion:
    target: Posting
    score: float
    terms: tuple[str, ...]
    contributions: tuple[tuple[str, float], ...]
    checks: tuple[Check, ...]
    rank: int

    @property
    def shared(self) -> list[tuple[str, float]]:
        """The shared terms a person reads, with their contribution to the score."""
        return shared_terms(self.terms, self.contributions)


def shared_terms(terms: tuple[str, ...], contributions: tuple[tuple[str, float], ...], limit: int = 10
                 ) -> list[tuple[str, float]]:
    """Readable terms (two characters or more, none inside a stronger one), each credited with the
    engine features (characters, bigrams, words) it contains, so the weights still add up to the score."""
    chosen: list[str] = []
    for term in terms:
        if len(term) >= 2 and not any(term in other for other in chosen):
            chosen.append(term)
    credit = dict.fromkeys(chosen, 0.0)
    for feature, weight in contributions:
        home = next((t for t in chosen if feature in t), None)
        if home is not None:
            credit[home] += weight
    return sorted(credit.items(), key=lambda tw: -tw[1])[:limit]


def _load(ids: list[str]) -> dict[str, Posting]:
    """Postings for engine ids, published only (the index may lag a moment behind a withdrawal)."""
    by_kind: dict[str, list[int]] = {}
    for value in ids:
        kind, number = parse_doc_id(value)
        by_kind.setdefault(kind, []).append(number)
    out: dict[str, Posting] = {}
    for kind, numbers in by_kind.items():
        model = match_index.MODELS[kind]
        rows = db.session.scalars(select(model).options(selectinload(model.chain), selectinload(model.org))
                                  .where(model.id.in_(numbers), model.status.in_(PUBLIC_STATUSES)))
        for p in rows:
            out[doc_id(kind, p.id)] = p
    return out


def search(query: str | Document, target_kind: str, *, k: int = 10, chain_id: int | None = None,
           min_score: float | None = None, exclude: str | None = None, with_terms: bool = True
           ) -> list[tuple[Posting, Hit]]:
    """Published postings of `target_kind` best matching the query, with their hits (`with_terms=False`: scores
    only, no shared terms)."""
    if not match_index.enabled():
        return []
    chain_code = _chain_code(chain_id)
    prefix = target_kind + ":"

    def wanted(value: str) -> bool:
        if not value.startswith(prefix) or value == exclude:
            return False
        return chain_code is None or (state.index.get(value) or Document("")).chain == chain_code

    threshold = current_app.config["MATCH_MIN_SCORE"] if min_score is None else min_score
    with match_index.reading() as state:
        key = ("search", query, target_kind, chain_code, exclude, k, threshold, with_terms)
        hits = _remembered(state, key, lambda: state.index.search(query, k=k, filter=wanted, min_score=threshold,
                                                                  with_terms=with_terms))
    postings = _load([h.doc_id for h in hits])
    return [(postings[h.doc_id], h) for h in hits if h.doc_id in postings]


def _chain_code(chain_id: int | None) -> str | None:
    if not chain_id:
        return None
    chain = db.session.get(Chain, chain_id)
    return chain.code if chain else None


def suggestions_for(kind: str, posting: Posting, actor: User | None, *, chain_id: int | None = None,
                    k: int | None = None, min_score: float | None = None) -> list[Suggestion]:
    """Best published postings of the other kind for one the actor may see, each explained and scored with the
    pair score (`score_pair`), so a pair shows the same number on the need's page and on the result's page.

    From a result, candidate needs are found with the result's text, then each pair is scored (and explained)
    need against result and the list re-sorted by that score."""
    require_view(actor, posting)
    k = k or current_app.config["MATCH_TOP_K"]
    threshold = current_app.config["MATCH_MIN_SCORE"] if min_score is None else min_score
    if kind == "need":
        found = search(document_for(posting), "result", k=k, chain_id=chain_id, min_score=threshold)
    else:
        pool = search(document_for(posting), "need", k=2 * k, chain_id=chain_id, min_score=0.0, with_terms=False)
        # rank the pool by the pair score alone, then read the shared terms of the k shown
        rescored = [(need, pair_hit(need, posting, with_terms=False)) for need, _hit in pool]  # type: ignore[arg-type]
        best = sorted(((n, h) for n, h in rescored if h is not None and h.score >= threshold),
                      key=lambda nh: (-nh[1].score, nh[0].id))[:k]  # type: ignore[union-attr]
        found = [(need, pair_hit(need, posting) or hit) for need, hit in best]  # type: ignore[arg-type]
    return [Suggestion(target, hit.score, hit.terms, hit.contributions, checklist(posting, target), rank)
            for rank, (target, hit) in enumerate(found, start=1)]


ORG_SOURCES = 8
"""An organization page suggests for its most recent published postings of each kind, at most this many."""


def suggestions_for_org(org: Organization, actor: User | None, *, per_posting: int = 3, limit: int = 30
                        ) -> list[tuple[Posting, Suggestion]]:
    """Suggestions for an organization's most recent published postings, strongest first.

    At most ORG_SOURCES searches per kind however many postings the organization has (an organization with
    thousands of needs cost one search each before). One combined query for all of them is not used: the engine
    keeps a query's rarest terms, so the postings' distinctive words crowd each other out.
    """
    pairs: list[tuple[Posting, Suggestion]] = []
    for model in (Result, Need):
        sources = db.session.scalars(select(model).options(selectinload(model.chain), selectinload(model.org))
                                     .where(model.org_id == org.id, model.status == "published")
                                     .order_by(model.published_at.desc(), model.id.desc()).limit(ORG_SOURCES))
        for posting in sources:
            pairs.extend((posting, s) for s in suggestions_for(posting.kind, posting, actor, k=per_posting))
    return sorted(pairs, key=lambda ps: -ps[1].score)[:limit]


def checklist(source: Posting, target: Posting) -> tuple[Check, ...]:
    """Same chain, TRL against what the need asks, mode overlap, price against budget, local firm."""
    need, result = (source, target) if isinstance(source, Need) else (target, source)
    assert isinstance(need, Need) and isinstance(result, Result)
    modes = set(need.modes or []) & set(result.modes or [])
    from matchmaker import labels

    checks = [
        Check(str(_l("同一产业链")), need.chain_id == result.chain_id if need.chain_id and result.chain_id else None,
              result.chain.name if result.chain else ""),
        Check(str(_l("成熟度满足要求")), None if need.trl_min is None or result.trl is None
              else result.trl >= need.trl_min, f"TRL {result.trl or '—'} / ≥{need.trl_min or '—'}"),
        Check(str(_l("合作方式一致")), bool(modes) if need.modes and result.modes else None,
              labels.joined("mode", sorted(modes))),
        Check(str(_l("价格在预算内")), None if need.budget_wan is None or result.price_wan is None
              else result.price_wan <= need.budget_wan,
              f"{labels.wan(result.price_wan)} / {labels.wan(need.budget_wan)}"),
        Check(str(_l("本地企业")), need.org.is_local(current_app.config["LOCAL_REGION_PREFIX"]), need.org.name),
    ]
    return tuple(checks)


@dataclass(frozen=True)
class PairExplanation:
    need: Need
    result: Result
    explanation: Explanation | None
    checks: tuple[Check, ...]

    @property
    def shared(self) -> list[tuple[str, float]]:
        e = self.explanation
        return shared_terms(e.terms, e.contributions, limit=30) if e else []

    @property
    def reason(self) -> str:
        """Why, in one line a person reads: "都涉及 交叉滚子轴承 的 国产化 与 精度" (in the reader's language)."""
        chosen = reason_terms([term for term, _weight in self.shared])
        if not chosen:
            return ""
        if len(chosen) == 1:
            return str(_l("都涉及 %(head)s", head=chosen[0]))
        return str(_l("都涉及 %(head)s 的 %(rest)s", head=chosen[0], rest=str(_l(" 与 ")).join(chosen[1:])))

    @property
    def synonyms(self) -> tuple[tuple[str, str], ...]:
        """(the need's firm word, the result's technical term) pairs the match went through."""
        return self.explanation.synonyms if self.explanation else ()


def explain_pair(need: Need, result: Result, actor: User | None) -> PairExplanation:
    """Why a need and a result match: shared terms with contributions and where they stand in both texts."""
    require_view(actor, need)
    require_view(actor, result)
    explanation = None
    if match_index.enabled():
        with match_index.reading() as state:
            target = doc_id("result", result.id)
            if target in state.index:
                explanation = explain(state.index, document_for(need), target)
            else:  # an unpublished result its owner may see: explained read-only, never added to the index
                explanation = explain_unindexed(state.index, document_for(need), document_for(result))
    return PairExplanation(need, result, explanation, checklist(need, result))


def suggest_chains(text: str, k: int = 3) -> list[tuple[Chain, float]]:
    """The most likely chains for a text being written."""
    if not match_index.enabled() or not text.strip():
        return []
    by_code = {c.code: c for c in db.session.scalars(select(Chain))}
    suggested = match_index.current().classifier().suggest(text[:5000], k=k)
    return [(by_code[code], score) for code, score in suggested if code in by_code]


def pair_hit(need: Need, result: Result, *, with_terms: bool = True) -> Hit | None:
    """The engine's hit for the pair: the need's document as the query, scored against the result.

    This is the one definition of a need-result pair's score (what share of the need's weighted terms the result
    covers, 0..1); every page and the API show it, through `score_percent`. A result not in the index (an
    unpublished one its owner is looking at) is scored read-only against the index's statistics: a read path
    never adds anything to the shared index."""
    if not match_index.enabled():
        return None
    query = document_for(need)
    with match_index.reading() as state:
        target = doc_id("result", result.id)
        if target not in state.index:
            document = document_for(result)
            return _remembered(state, ("unindexed", query, document),
                               lambda: state.index.score_document(query, document))
        return _remembered(state, ("pair", query, target, with_terms),
                           lambda: state.index.score_of(query, target, with_terms=with_terms))


def score_pair(need: Need, result: Result) -> float:
    """The pair score of one need and one result, 0..1 (0 when nothing is shared); see `pair_hit`."""
    hit = pair_hit(need, result)
    return hit.score if hit else 0.0


def score_percent(score: float | None) -> int | None:
    """A pair score as people read it everywhere: a whole number 0..100 (None stays None: no score)."""
    return None if score is None else int(min(max(score, 0.0), 1.0) * 100 + 0.5)


def free_text(q: str, kind: str | None, *, k: int = 10, chain_id: int | None = None,
              min_score: float | None = None) -> list[tuple[Posting, Hit]]:
    """Search published results, needs or both with free text (above the configured minimum score by default)."""
    kinds = [kind] if kind in ("result", "need") else ["result", "need"]
    found = [pair for kd in kinds for pair in search(q[:4000], kd, k=k, chain_id=chain_id, min_score=min_score)]
    return sorted(found, key=lambda ph: -ph[1].score)[:k]


def target_of(kind: str, posting_id: int) -> Any:
    return db.session.get(match_index.MODELS[kind], posting_id)
