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
grouped by chain, from the same searches as the match stage.

Both read the per-need rows that services/goals/match_stats.py keeps (one search per published need, made by a
background job, not by the page): the dashboard costs a few aggregate queries however many needs there are.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, join, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    Event,
    EventResult,
    Intent,
    Invitation,
    Meeting,
    Need,
    NeedMatchStat,
    Organization,
    Transfer,
)
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import match_stats

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


_WITH_NEED = join(NeedMatchStat, Need, Need.id == NeedMatchStat.need_id)


def matched_by_chain() -> Counter[int | None]:
    """The match stage per need chain: matched results summed over the published needs (kept rows)."""
    rows = db.session.execute(select(Need.chain_id, func.sum(NeedMatchStat.matched))
                              .select_from(_WITH_NEED).where(Need.status == "published").group_by(Need.chain_id))
    return Counter({chain_id: int(n or 0) for chain_id, n in rows})


def _gap_filter() -> tuple[Any, ...]:
    return Need.status == "published", NeedMatchStat.best < float(current_app.config["MATCH_MIN_SCORE"])


def _of_chain(chain_id: int | None) -> Any:
    return Need.chain_id.is_(None) if chain_id is None else Need.chain_id == chain_id


def _gap_counts() -> dict[int | None, int]:
    rows = db.session.execute(select(Need.chain_id, func.count()).select_from(_WITH_NEED)
                              .where(*_gap_filter()).group_by(Need.chain_id))
    counts = {chain_id: int(n) for chain_id, n in rows}
    return {c: counts[c] for c in sorted(counts, key=lambda c: (c is None, c or 0))}


def _gap_query(*columns: Any) -> Any:
    return (select(Need.id, Need.title, Need.chain_id, Organization.name, NeedMatchStat.best, *columns)
            .select_from(_WITH_NEED).join(Organization, Need.org_id == Organization.id)
            .where(*_gap_filter()))


def _gap_row(row: Any) -> tuple[GapNeed, float]:
    return GapNeed(row[0], row[1], row[2], row[3]), float(row[4])


def gap_needs() -> list[tuple[GapNeed, float]]:
    """Published needs whose best result scores below MATCH_MIN_SCORE, with that score, by chain and id: the list
    to take to universities. Brings the kept match rows up to date first (the CLI and tests call this)."""
    match_stats.refresh()
    rows = db.session.execute(_gap_query().order_by(Need.chain_id, Need.id))
    return [_gap_row(r) for r in rows]


def gaps_by_chain(names: dict[int | None, str], preview: int = GAP_PREVIEW) -> list[ChainGaps]:
    """The gap list grouped by the need's chain: each chain's count and first `preview` needs (two queries)."""
    counts = _gap_counts()
    if not counts:
        return []
    place = func.row_number().over(partition_by=Need.chain_id, order_by=Need.id).label("place")
    ranked = _gap_query(place).subquery()
    rows = db.session.execute(select(ranked).where(ranked.c.place <= preview).order_by(ranked.c.id))
    shown: dict[int | None, list[tuple[GapNeed, float]]] = {}
    for row in rows:
        shown.setdefault(row[2], []).append(_gap_row(row))
    return [ChainGaps(c, names.get(c, "—"), shown.get(c, []), n) for c, n in counts.items()]


@dataclass(frozen=True)
class GapPage(ChainGaps):
    """One page of a chain's gap needs."""

    page: int
    pages: int


def gap_page(chain_id: int | None, page: int, names: dict[int | None, str]) -> GapPage:
    """One page of a chain's gap needs (None: needs with no chain), paged in SQL."""
    total = _gap_counts().get(chain_id, 0)
    pages = max((total + GAP_PAGE_SIZE - 1) // GAP_PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    rows = db.session.execute(_gap_query().where(_of_chain(chain_id)).order_by(Need.id)
                              .offset((page - 1) * GAP_PAGE_SIZE).limit(GAP_PAGE_SIZE))
    return GapPage(chain_id, names.get(chain_id, "—"), [_gap_row(r) for r in rows], total, page, pages)


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


def funnel(year: int, as_of: date) -> Funnel:
    """The funnel of a year by the statistics date, in total, per chain and per event."""
    intents, transfers = _counted_intents(year, as_of), _transfers(year, as_of)
    stage_counts: list[Counter[int | None]] = [
        matched_by_chain(),
        Counter(m.result.chain_id for m in _held_meetings(year, as_of)),
        Counter(i.result.chain_id for i in intents),
        Counter(t.result.chain_id for t in transfers),
    ]
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
