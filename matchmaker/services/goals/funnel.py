"""The dashboard's funnel (match → meeting → intent → transfer) and gap list (stale intents: services/deals/intents.py).

Funnel stages, counted for one year:

- per chain: *match* = published need–result pairs the matcher suggests (a result in a need's top MATCH_TOP_K
  scoring at least MATCH_MIN_SCORE; today's index, the need's chain); *meeting* = 1:1 meetings at events held in
  the year (the result's chain); *intent* = intents counted for the year (logged, not dropped); *transfer* =
  transfers signed in the year, local or not (the result's chain).
- per event of the year (not cancelled): *match* = the pairs the event proposed, presented results × invited
  organizations; *meeting* = its 1:1 meetings; *intent* = counted intents recorded against the event;
  *transfer* = transfers of the year whose intent came from the event.
- total: the per-chain sums.

Gap list (`gap_needs`, the one gap rule): published needs whose best result scores below MATCH_MIN_SCORE,
grouped by chain, computed from the same searches as the match stage.

Those searches (one per published need) are the page's cost at scale (27 s for 5,000 needs), so their top
scores are kept per process for the statistics date and index generation, with the change-log position
(`LoadedIndex.version`) they were computed at. A view at the same position costs no search. After a change only
the needs it touches are searched again: needs changed or published since, needs whose kept top results include
a changed result, and the needs a changed result's own search finds (as a result page finds its candidate
needs). Every need is searched again after MATCH_STATS_MAX_AGE seconds (a change shifts every term's IDF a
little, so an untouched need's scores drift that long at most), after a resync or vocabulary change, or when
more than REFRESH_LIMIT postings changed at once.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Intent, Invitation, Meeting, Need, Organization, Transfer
from matchmaker.services import fields
from matchmaker.services.goals import figures as goals
from matchmaker.services.matching import change_log
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.index import document_for

STAGES = ("match", "meeting", "intent", "transfer")


def stage_labels() -> tuple[Any, ...]:
    return (_l("匹配推荐"), _l("一对一洽谈"), _l("合作意向"), _l("成果转化"))


@dataclass(frozen=True)
class FunnelRow:
    key: int | None
    label: str
    values: tuple[int, int, int, int]


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    by_event: list[FunnelRow]
    by_chain: list[FunnelRow]


@dataclass(frozen=True)
class NeedMatch:
    need_id: int
    chain_id: int | None
    scores: tuple[float, ...]

    @property
    def best(self) -> float:
        return self.scores[0] if self.scores else 0.0


@dataclass(frozen=True)
class GapNeed:
    """What the gap list shows of a need (read as columns: the list can hold thousands)."""

    id: int
    title: str
    chain_id: int | None
    org_name: str


@dataclass(frozen=True)
class ChainGaps:
    """One chain's gap needs: how many, and the first GAP_PREVIEW of them (the rest are on gap_page)."""

    chain_id: int | None
    name: str
    needs: list[tuple[GapNeed, float]]
    total: int


GAP_PREVIEW = 10
"""Gap needs the dashboard lists per chain (at 10k postings a chain can have hundreds)."""
GAP_PAGE_SIZE = 50


REFRESH_LIMIT = 50
"""More changed postings than this since the kept scores: search every need again (cheaper than tracing)."""
_POOL = 50
"""Needs a changed result's own search nominates for a new search (a result page's pool is 2 × MATCH_TOP_K)."""


def need_matches() -> list[NeedMatch]:
    """Each published need (by chain, then id) with the scores of its top results (see `match_scores`)."""
    rows = db.session.execute(select(Need.id, Need.chain_id).where(Need.status == "published")
                              .order_by(Need.chain_id, Need.id)).all()
    scores = match_scores([i for i, _c in rows])
    return [NeedMatch(i, c, scores.get(i, ())) for i, c in rows]


@dataclass
class _Kept:
    made: float
    """time.monotonic() of the last search of every need."""
    version: int
    """Change-log position of the index the scores were last brought up to."""
    scores: dict[int, tuple[float, ...]]
    tops: dict[int, tuple[int, ...]]
    """Result ids of each need's top hits (a change of one of them touches the need)."""


_scores: dict[tuple[str, date, int], _Kept] = {}
_scores_lock = threading.Lock()


def match_scores(need_ids: list[int]) -> dict[int, tuple[float, ...]]:
    """Top-K result scores of each need, kept per statistics date and index and brought up to the index's
    change-log position by searching only the needs a change touches (module docstring)."""
    if not current_app.config.get("MATCH_INDEX_ENABLED", True) or not need_ids:
        return {}
    state = match_index.current()
    key = (str(current_app.config["SQLALCHEMY_DATABASE_URI"]), fields.today(), state.generation)
    version = state.version
    with _scores_lock:
        kept = _scores.get(key)
    fresh = kept is not None and time.monotonic() - kept.made < float(current_app.config["MATCH_STATS_MAX_AGE"])
    touched = _touched(kept, version) if fresh and kept is not None else None
    if kept is None or touched is None:
        kept = _Kept(time.monotonic(), version, {}, {})
        again = set(need_ids)
    else:
        again = (touched & set(need_ids)) | {i for i in need_ids if i not in kept.scores}
    if not again and kept.version == version:
        return kept.scores
    scores, tops = dict(kept.scores), dict(kept.tops)
    for need_id in touched or ():
        scores.pop(need_id, None)  # touched but no longer published: forget it
        tops.pop(need_id, None)
    found_scores, found_tops = _search_needs(sorted(again))
    scores.update(found_scores)
    tops.update(found_tops)
    updated = _Kept(kept.made, version, scores, tops)
    with _scores_lock:
        _scores.clear()  # one statistics date and index at a time
        _scores[key] = updated
    return scores


def _touched(kept: _Kept, version: int) -> set[int] | None:
    """Need ids a change after `kept.version` (up to `version`) may have moved; None: search them all."""
    if version == kept.version:
        return set()
    if version < kept.version or change_log.pruned_past(db.session, kept.version):
        return None
    rows = change_log.changes_after(db.session, kept.version, REFRESH_LIMIT + 1)
    rows = [r for r in rows if r[0] <= version]  # committed since the index looked: the next view sees them
    if len(rows) > REFRESH_LIMIT or any(kind not in match_index.MODELS or posting_id is None
                                        for _id, kind, posting_id, _op in rows):
        return None
    needs = {p for _id, kind, p, _op in rows if kind == "need" and p is not None}
    results = {p for _id, kind, p, _op in rows if kind == "result" and p is not None}
    if results:
        needs |= {n for n, top in kept.tops.items() if results.intersection(top)}
        needs |= _nominated(results)
    return needs


def _nominated(result_ids: set[int]) -> set[int]:
    """Needs the changed results' own searches find (their candidate needs, as on a result page)."""
    out: set[int] = set()
    with match_index.reading() as state:
        docs = [state.index.get(match_index.doc_id("result", r)) for r in sorted(result_ids)]
        for doc in docs:
            if doc is not None:
                hits = state.index.search(doc, k=_POOL, filter=_is_need, min_score=0.0, with_terms=False)
                out.update(match_index.parse_doc_id(h.doc_id)[1] for h in hits)
    return out


def _search_needs(need_ids: list[int]) -> tuple[dict[int, tuple[float, ...]], dict[int, tuple[int, ...]]]:
    k = current_app.config["MATCH_TOP_K"]
    scores: dict[int, tuple[float, ...]] = {}
    tops: dict[int, tuple[int, ...]] = {}
    for start in range(0, len(need_ids), 500):
        chunk = need_ids[start:start + 500]
        docs = [document_for(n) for n in db.session.scalars(select(Need).options(selectinload(Need.chain))
                                                            .where(Need.id.in_(chunk), Need.status == "published"))]
        for doc in docs:
            with match_index.reading() as state:
                hits = state.index.search(doc, k=k, filter=_is_result, min_score=0.0, with_terms=False)
            need_id = match_index.parse_doc_id(doc.id)[1]
            scores[need_id] = tuple(h.score for h in hits)
            tops[need_id] = tuple(match_index.parse_doc_id(h.doc_id)[1] for h in hits)
    return scores, tops


def _is_result(value: str) -> bool:
    return value.startswith("result:")


def _is_need(value: str) -> bool:
    return value.startswith("need:")


def _gaps(matches: Sequence[NeedMatch]) -> list[NeedMatch]:
    threshold = current_app.config["MATCH_MIN_SCORE"]
    return [m for m in matches if m.best < threshold]


def _gap_rows(gaps: Sequence[NeedMatch]) -> list[tuple[GapNeed, float]]:
    """The shown columns of these gap needs, in their order, read 500 ids at a time."""
    shown: dict[int, GapNeed] = {}
    ids = [m.need_id for m in gaps]
    for start in range(0, len(ids), 500):
        rows = db.session.execute(select(Need.id, Need.title, Need.chain_id, Organization.name)
                                  .join(Organization, Need.org_id == Organization.id)
                                  .where(Need.id.in_(ids[start:start + 500])))
        shown.update((i, GapNeed(i, title, chain_id, org)) for i, title, chain_id, org in rows)
    return [(shown[m.need_id], m.best) for m in gaps if m.need_id in shown]


def gap_needs(matches: Sequence[NeedMatch] | None = None) -> list[tuple[GapNeed, float]]:
    """Published needs whose best result scores below MATCH_MIN_SCORE, with that score: the list to take to
    universities (the dashboard shows it grouped by chain)."""
    return _gap_rows(_gaps(need_matches() if matches is None else matches))


def gaps_by_chain(matches: Sequence[NeedMatch], names: dict[int | None, str],
                  preview: int = GAP_PREVIEW) -> list[ChainGaps]:
    """The gap list grouped by the need's chain (chains in need order): each chain's count and first needs."""
    grouped: dict[int | None, list[NeedMatch]] = {}
    for match in _gaps(matches):
        grouped.setdefault(match.chain_id, []).append(match)
    shown = {need.id: (need, best) for need, best in
             _gap_rows([m for chain in grouped.values() for m in chain[:preview]])}
    return [ChainGaps(c, names.get(c, "—"), [shown[m.need_id] for m in chain[:preview] if m.need_id in shown],
                      len(chain)) for c, chain in grouped.items()]


@dataclass(frozen=True)
class GapPage(ChainGaps):
    """One page of a chain's gap needs."""

    page: int
    pages: int


def gap_page(chain_id: int | None, page: int, names: dict[int | None, str]) -> GapPage:
    """One page of a chain's gap needs (None: needs with no chain); only the page's rows are read."""
    gaps = [m for m in _gaps(need_matches()) if m.chain_id == chain_id]
    pages = max((len(gaps) + GAP_PAGE_SIZE - 1) // GAP_PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    start = (page - 1) * GAP_PAGE_SIZE
    return GapPage(chain_id, names.get(chain_id, "—"), _gap_rows(gaps[start:start + GAP_PAGE_SIZE]), len(gaps),
                   page, pages)


def _counted_intents(year: int, as_of: date) -> list[Intent]:
    ids = goals.count_intents(year, as_of).ids
    return list(db.session.scalars(select(Intent).options(selectinload(Intent.result))
                                   .where(Intent.id.in_(ids)))) if ids else []


def _transfers(year: int, as_of: date) -> list[Transfer]:
    start, end = goals._year_days(year, as_of)
    return list(db.session.scalars(select(Transfer).options(selectinload(Transfer.result),
                                                            selectinload(Transfer.intent))
                                   .where(Transfer.signed_on >= start, Transfer.signed_on < end)))


def _held_meetings(year: int, as_of: date) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).join(Event, Meeting.event_id == Event.id)
                                   .options(selectinload(Meeting.result))
                                   .where(*goals._held_in(year, as_of))))


def funnel(year: int, matches: Sequence[NeedMatch], as_of: date) -> Funnel:
    """The funnel of a year by the statistics date, in total, per chain and per event."""
    threshold = current_app.config["MATCH_MIN_SCORE"]
    intents, transfers = _counted_intents(year, as_of), _transfers(year, as_of)
    stage_counts: list[Counter[int | None]] = [
        Counter({}),
        Counter(m.result.chain_id for m in _held_meetings(year, as_of)),
        Counter(i.result.chain_id for i in intents),
        Counter(t.result.chain_id for t in transfers),
    ]
    for m in matches:
        stage_counts[0][m.chain_id] += sum(1 for s in m.scores if s >= threshold)
    chain_ids = sorted({c for counts in stage_counts for c in counts}, key=lambda c: (c is None, c or 0))
    names = {c.id: c.name for c in _chains()}
    by_chain = [FunnelRow(c, names.get(c, str(_l("未分类"))) if c else str(_l("未分类")),
                          _values(counts[c] for counts in stage_counts)) for c in chain_ids]
    total = FunnelRow(None, str(_l("合计")), _values(sum(counts.values()) for counts in stage_counts))
    return Funnel(total, _by_event(year, intents, transfers), by_chain)


def _values(items: Any) -> tuple[int, int, int, int]:
    a, b, c, d = (int(v) for v in items)
    return a, b, c, d


def _chains() -> list[Any]:
    from matchmaker.services import chains

    return chains.list_chains()


def _by_event(year: int, intents: list[Intent], transfers: list[Transfer]) -> list[FunnelRow]:
    start, end = goals._year_dt(year)
    events = list(db.session.scalars(select(Event).where(Event.starts_at >= start, Event.starts_at < end,
                                                         Event.status != "cancelled")
                                     .order_by(Event.starts_at, Event.id)))
    if not events:
        return []
    ids = [e.id for e in events]
    presented = _count_by(EventResult.event_id, ids)
    invited = _count_by(Invitation.event_id, ids)
    meetings = _count_by(Meeting.event_id, ids)
    intent_n = Counter(i.event_id for i in intents)
    transfer_n = Counter(t.intent.event_id for t in transfers if t.intent is not None)
    return [FunnelRow(e.id, e.name, (presented[e.id] * invited[e.id], meetings[e.id], intent_n[e.id],
                                     transfer_n[e.id])) for e in events]


def _count_by(column: Any, ids: list[int]) -> Counter[int]:
    rows = db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return Counter({key: n for key, n in rows})
