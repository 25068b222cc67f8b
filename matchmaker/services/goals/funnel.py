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

Those searches (one per published need) are the page's cost at scale: they are kept per process for the
statistics date and index (a new vocabulary or a rebuild starts afresh), at most MATCH_STATS_MAX_AGE seconds, so
the match stage and the gap list may lag that long behind edits of published postings (new needs are searched at
once).
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
from sqlalchemy.orm import load_only, selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Intent, Invitation, Meeting, Need, Transfer
from matchmaker.services import fields
from matchmaker.services.goals import figures as goals
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
    need: Need
    scores: tuple[float, ...]

    @property
    def best(self) -> float:
        return self.scores[0] if self.scores else 0.0


@dataclass(frozen=True)
class ChainGaps:
    chain_id: int | None
    name: str
    needs: list[tuple[Need, float]]


def need_matches() -> list[NeedMatch]:
    """Each published need with the scores of its top results (computed as `match_scores` says)."""
    needs = list(db.session.scalars(select(Need).options(load_only(Need.id, Need.title, Need.chain_id, Need.org_id,
                                                                    Need.status), selectinload(Need.org))
                                    .where(Need.status == "published").order_by(Need.chain_id, Need.id)))
    scores = match_scores([n.id for n in needs])
    return [NeedMatch(n, scores.get(n.id, ())) for n in needs]


_scores: dict[tuple[str, date, int], tuple[float, dict[int, tuple[float, ...]]]] = {}
_scores_lock = threading.Lock()


def match_scores(need_ids: list[int]) -> dict[int, tuple[float, ...]]:
    """Top-K result scores of each need: one search per need, kept per statistics date (today) and index for at
    most MATCH_STATS_MAX_AGE seconds; needs published since are searched on the spot."""
    if not current_app.config.get("MATCH_INDEX_ENABLED", True) or not need_ids:
        return {}
    state = match_index.current()
    key = (str(current_app.config["SQLALCHEMY_DATABASE_URI"]), fields.today(), state.generation)
    max_age = float(current_app.config["MATCH_STATS_MAX_AGE"])
    with _scores_lock:
        made, cached = _scores.get(key, (0.0, {}))
    fresh = time.monotonic() - made < max_age
    missing = need_ids if not fresh else [i for i in need_ids if i not in cached]
    if not missing:
        return cached
    computed = _search_needs(missing)
    merged = {**cached, **computed} if fresh else computed
    with _scores_lock:
        _scores.clear()  # one statistics date and index at a time
        _scores[key] = (made if fresh else time.monotonic(), merged)
    return merged


def _search_needs(need_ids: list[int]) -> dict[int, tuple[float, ...]]:
    k = current_app.config["MATCH_TOP_K"]
    out: dict[int, tuple[float, ...]] = {}
    for start in range(0, len(need_ids), 500):
        chunk = need_ids[start:start + 500]
        docs = [document_for(n) for n in db.session.scalars(select(Need).options(selectinload(Need.chain))
                                                            .where(Need.id.in_(chunk)))]
        for doc in docs:
            with match_index.reading() as state:
                hits = state.index.search(doc, k=k, filter=_is_result, min_score=0.0, with_terms=False)
            out[match_index.parse_doc_id(doc.id)[1]] = tuple(h.score for h in hits)
    return out


def _is_result(value: str) -> bool:
    return value.startswith("result:")


def gap_needs(matches: Sequence[NeedMatch] | None = None) -> list[tuple[Need, float]]:
    """Published needs whose best result scores below MATCH_MIN_SCORE, with that score: the list to take to
    universities (the dashboard shows it grouped by chain)."""
    threshold = current_app.config["MATCH_MIN_SCORE"]
    return [(m.need, m.best) for m in (need_matches() if matches is None else matches) if m.best < threshold]


def gaps_by_chain(matches: Sequence[NeedMatch], names: dict[int | None, str]) -> list[ChainGaps]:
    """The gap list grouped by the need's chain (chains in need order)."""
    grouped: dict[int | None, list[tuple[Need, float]]] = {}
    for need, best in gap_needs(matches):
        grouped.setdefault(need.chain_id, []).append((need, best))
    return [ChainGaps(c, names.get(c, "—"), rows) for c, rows in grouped.items()]


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
        stage_counts[0][m.need.chain_id] += sum(1 for s in m.scores if s >= threshold)
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
