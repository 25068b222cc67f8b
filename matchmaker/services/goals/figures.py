"""三十三百: the five yearly figures, counted from records, each with the ids behind it; yearly targets.

How each figure is counted (design.md §1, with the choices the design leaves open):

- events: events with status *held* whose date falls in the year.
- transfers: transfers signed in the year whose buyer is local (derived from the credit code, staff override wins).
- results: results of universities and institutes, published in the year (Asia/Shanghai date) and still public
  (published or transferred; withdrawn ones are not counted). Near-duplicates count once: results linked by
  ``duplicate_of_id`` or found by the engine above DUPLICATE_THRESHOLD form one group, counted on its first
  publication; a result flagged as a duplicate of one published in an earlier year is not counted again. The
  engine's pairs are the ones the match-figures job keeps (services/goals/match_stats.py).
- firms: distinct companies (by credit code) that attended a held event of the year, sat in a 1:1 meeting at
  one, or have an intent logged in the year (any status: a dropped intent still means the firm was reached).
- intents: intents logged in the year that are not dropped (dropping one takes it off the figure).

Every figure counts only what has happened by the statistics date (``as_of``, by default the bureau's today,
services.fields.today): a held event dated later, an intent or transfer dated later, is not counted yet.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, Goal, Intent, Invitation, Meeting, Organization, Result, Transfer, User
from matchmaker.models.goal import DEFAULT_TARGETS, GOAL_METRICS
from matchmaker.models.organization import RESEARCH_KINDS
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import FieldErrors, NotFound
from matchmaker.services.goals import match_stats
from matchmaker.services.permissions import require_staff

MAX_TARGET = 100_000
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record behind a figure: its id, the day it counts from, its chains, near-duplicates merged into it."""

    id: int
    on: date
    chains: tuple[int | None, ...] = (None,)
    merged: tuple[int, ...] = ()


@dataclass(frozen=True)
class Figure:
    metric: str
    year: int
    evidence: tuple[Evidence, ...]

    @property
    def actual(self) -> int:
        return len(self.evidence)

    @property
    def ids(self) -> list[int]:
        return [e.id for e in self.evidence]

    def by_chain(self) -> Counter[int | None]:
        """How many records fall in each chain (a record in several chains counts in each)."""
        return Counter(c for e in self.evidence for c in dict.fromkeys(e.chains))


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NotFound("year")
    return year


def check_metric(metric: str) -> str:
    if metric not in GOAL_METRICS:
        raise NotFound("metric")
    return metric


local_day = fields.local_day


def _year_days(year: int, as_of: date | None = None) -> tuple[date, date]:
    """[first day, day after the last counted one): the year, cut at the statistics date when given."""
    end = date(year + 1, 1, 1)
    return date(year, 1, 1), end if as_of is None else min(end, as_of + timedelta(days=1))


def _year_dt(year: int, as_of: date | None = None) -> tuple[datetime, datetime]:
    start, end = _year_days(year, as_of)
    return datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.min.time())


def _held_in(year: int, as_of: date) -> Any:
    start, end = _year_dt(year, as_of)
    return (Event.status == "held", Event.starts_at >= start, Event.starts_at < end)


def _chains(ids: Iterable[int | None]) -> tuple[int | None, ...]:
    return tuple(dict.fromkeys(ids)) or (None,)


def count_events(year: int, as_of: date) -> Figure:
    rows = db.session.scalars(select(Event).where(*_held_in(year, as_of)).order_by(Event.starts_at, Event.id))
    return Figure("events", year, tuple(Evidence(e.id, e.starts_at.date(), _chains(e.chain_ids or ()))
                                        for e in rows))


def count_transfers(year: int, as_of: date) -> Figure:
    start, end = _year_days(year, as_of)
    prefix = current_app.config["LOCAL_REGION_PREFIX"]
    rows = db.session.scalars(select(Transfer).options(selectinload(Transfer.buyer), selectinload(Transfer.result))
                              .where(Transfer.signed_on >= start, Transfer.signed_on < end)
                              .order_by(Transfer.signed_on, Transfer.id))
    return Figure("transfers", year, tuple(Evidence(t.id, t.signed_on, (t.result.chain_id,))
                                           for t in rows if t.is_local(prefix)))


def count_intents(year: int, as_of: date) -> Figure:
    start, end = _year_days(year, as_of)
    rows = db.session.scalars(select(Intent).options(selectinload(Intent.result))
                              .where(Intent.logged_on >= start, Intent.logged_on < end, Intent.status != "dropped")
                              .order_by(Intent.logged_on, Intent.id))
    return Figure("intents", year, tuple(Evidence(i.id, i.logged_on, (i.result.chain_id,)) for i in rows))


def _research_filter(start: datetime, end: datetime) -> tuple[Any, ...]:
    return (Organization.kind.in_(RESEARCH_KINDS), Result.status.in_(PUBLIC_STATUSES),
            Result.published_at >= start, Result.published_at < end)


def _research_results(start: datetime, end: datetime) -> Any:
    return select(Result).join(Organization, Result.org_id == Organization.id).where(*_research_filter(start, end))


class ResultRow(NamedTuple):
    """The columns the results figure needs, with the local day computed once (the year can hold thousands)."""

    id: int
    published_at: datetime
    chain_id: int | None
    duplicate_of_id: int | None
    day: date


def count_results(year: int, as_of: date) -> Figure:
    # A day of slack each side in SQL; the exact local-day test is done in Python.
    start = datetime(year - 1, 12, 31, tzinfo=UTC)
    end = datetime(year + 1, 1, 2, tzinfo=UTC)
    found = db.session.execute(select(Result.id, Result.published_at, Result.chain_id, Result.duplicate_of_id)
                               .join(Organization, Result.org_id == Organization.id)
                               .where(*_research_filter(start, end)).order_by(Result.published_at, Result.id))
    zone = str(current_app.config["TIMEZONE"])
    rows = [r for r in (ResultRow(i, at, chain, dup, fields.day_in(at, zone)) for i, at, chain, dup in found)
            if r.day.year == year and r.day <= as_of]
    groups = duplicate_groups(rows, _collected_before(rows, year))
    return Figure("results", year, tuple(
        Evidence(g[0].id, g[0].day, (g[0].chain_id,), tuple(r.id for r in g[1:])) for g in groups))


def _collected_before(rows: Sequence[ResultRow], year: int) -> set[int]:
    """Ids, among those the year's results duplicate, of results already counted in an earlier year."""
    outside = {r.duplicate_of_id for r in rows if r.duplicate_of_id} - {r.id for r in rows}
    if not outside:
        return set()
    earlier = _research_results(datetime(MIN_YEAR, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 2, tzinfo=UTC))
    return {r.id for r in db.session.scalars(earlier.where(Result.id.in_(outside)))
            if local_day(r.published_at).year < year}


def duplicate_groups(rows: Sequence[ResultRow], collected: set[int]) -> list[list[ResultRow]]:
    """Rows (oldest first) grouped by near-duplication; groups touching an earlier-collected result are dropped."""
    position = {r.id: i for i, r in enumerate(rows)}
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)

    for r in rows:
        if r.duplicate_of_id in position:
            union(position[r.id], position[r.duplicate_of_id])
    for first, second in match_stats.duplicate_pairs(position):
        union(position[first], position[second])
    groups: dict[int, list[ResultRow]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(find(i), []).append(r)
    return [g for g in groups.values() if not any(r.duplicate_of_id in collected for r in g)]


def count_firms(year: int, as_of: date) -> Figure:
    touches: list[tuple[Organization, date, tuple[int | None, ...]]] = []
    attended = (select(Invitation, Event).join(Event, Invitation.event_id == Event.id)
                .options(selectinload(Invitation.org)).where(Invitation.status == "attended", *_held_in(year, as_of)))
    for inv, event in db.session.execute(attended):
        touches.append((inv.org, event.starts_at.date(), _chains(event.chain_ids or ())))
    met = (select(Meeting, Event).join(Event, Meeting.event_id == Event.id)
           .options(selectinload(Meeting.company), selectinload(Meeting.result)).where(*_held_in(year, as_of)))
    for meeting, event in db.session.execute(met):
        touches.append((meeting.company, event.starts_at.date(), (meeting.result.chain_id,)))
    start, end = _year_days(year, as_of)
    logged = (select(Intent).options(selectinload(Intent.company), selectinload(Intent.result))
              .where(Intent.logged_on >= start, Intent.logged_on < end))
    for intent in db.session.scalars(logged):
        touches.append((intent.company, intent.logged_on, (intent.result.chain_id,)))
    return Figure("firms", year, _firm_evidence(touches))


def _firm_evidence(touches: list[tuple[Organization, date, tuple[int | None, ...]]]) -> tuple[Evidence, ...]:
    firms: dict[str, tuple[int, date, list[int | None]]] = {}
    for org, day, chains in sorted(touches, key=lambda t: (t[1], t[0].id)):
        if org.kind != "company":
            continue
        first = firms.setdefault(org.credit_code, (org.id, day, []))
        first[2].extend(chains)
    return tuple(Evidence(org_id, day, _chains(c for c in chains if c is not None))
                 for org_id, day, chains in firms.values())


COUNTERS = {"events": count_events, "transfers": count_transfers, "results": count_results,
            "firms": count_firms, "intents": count_intents}


def count(year: int, metric: str, as_of: date | None = None) -> Figure:
    """One figure of one year, counting what happened by `as_of` (default: today in the bureau's time zone)."""
    return COUNTERS[check_metric(metric)](check_year(year), as_of or fields.today())


def count_all(year: int, as_of: date | None = None) -> dict[str, Figure]:
    """The five figures of a year by `as_of` (default: today), in GOAL_METRICS order."""
    as_of = as_of or fields.today()
    return {m: count(year, m, as_of) for m in GOAL_METRICS}


def targets_for(year: int) -> dict[str, int]:
    """The year's targets: stored ones, else DEFAULT_TARGETS."""
    out = dict(DEFAULT_TARGETS)
    for goal in db.session.scalars(select(Goal).where(Goal.year == year)):
        out[goal.metric] = goal.target
    return out


def set_targets(year: int, data: dict[str, Any], actor: User | None) -> dict[str, int]:
    """Staff set a year's five targets; each change is audited; one commit."""
    user = require_staff(actor)
    check_year(year)
    errors = FieldErrors()
    clean = {m: fields.integer(errors, data, m, low=0, high=MAX_TARGET, required=True) for m in GOAL_METRICS}
    errors.raise_if_any()
    existing = {g.metric: g for g in db.session.scalars(select(Goal).where(Goal.year == year))}
    for metric, value in clean.items():
        goal = existing.get(metric)
        if goal is None:
            if value == DEFAULT_TARGETS[metric]:
                continue
            goal = Goal(year=year, metric=metric, target=DEFAULT_TARGETS[metric])
            db.session.add(goal)
        changes = audit.apply_changes(goal, {"target": value})
        if changes:
            audit.record(user, "set_target", goal, changes, note=f"{year} {metric}")
    db.session.commit()
    return targets_for(year)
