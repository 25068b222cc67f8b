"""Pace, forecast and monthly burn-up of the yearly goals, and the dashboard that puts them together.

- pace: where a steady pace would stand today, target × (days elapsed / days in the year), whole records.
- forecast: the year-end value at the current rate, actual / elapsed fraction; a finished year's is its actual.
- status: "done" when the target is reached, else "behind" by (pace − actual) when that is positive,
  else "on_track".
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from matchmaker.models import Intent, User
from matchmaker.models.goal import GOAL_METRICS
from matchmaker.services import chains as chain_service
from matchmaker.services import fields
from matchmaker.services.deals import intents as intent_service
from matchmaker.services.errors import NotFound
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import funnel as goals_funnel
from matchmaker.services.goals import match_stats
from matchmaker.services.permissions import require_staff


@dataclass(frozen=True)
class Progress:
    metric: str
    year: int
    target: int
    actual: int
    pace: int
    forecast: int
    status: str
    behind_by: int
    cumulative: tuple[int | None, ...]
    pace_line: tuple[float, ...]
    forecast_line: tuple[float | None, ...]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.actual / self.target)) if self.target else 100


def days_in(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def elapsed_fraction(year: int, today: date) -> float:
    """Share of the year gone by the end of `today` (0 before it starts, 1 after it ends)."""
    if today < date(year, 1, 1):
        return 0.0
    if today.year > year:
        return 1.0
    return ((today - date(year, 1, 1)).days + 1) / days_in(year)


def forecast_value(actual: int, fraction: float) -> int:
    """Year-end value at the current rate (a year not started yet: its actual)."""
    if fraction <= 0:
        return actual
    return math.floor(actual / fraction + 0.5)


def pace_value(target: int, fraction: float) -> int:
    """Records a steady pace would have by now (whole records, rounded down)."""
    return math.floor(target * fraction + 1e-9)


def status_of(actual: int, target: int, fraction: float) -> tuple[str, int]:
    """("done" | "on_track" | "behind", how many records behind the pace)."""
    if actual >= target:
        return "done", 0
    gap = pace_value(target, fraction) - actual
    return ("behind", gap) if gap > 0 else ("on_track", 0)


def month_end_fraction(year: int, month: int) -> float:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (end - date(year, 1, 1)).days / days_in(year)


def burn_up(figure: goals.Figure, target: int, today: date
            ) -> tuple[tuple[int | None, ...], tuple[float, ...], tuple[float | None, ...]]:
    """Cumulative actual by month (None for months to come), the pace line and the forecast line."""
    year = figure.year
    fraction = elapsed_fraction(year, today)
    last = 12 if fraction >= 1 else (today.month if today.year == year else 0)
    per_month = Counter(e.on.month for e in figure.evidence)
    cumulative: list[int | None] = []
    running = 0
    for month in range(1, 13):
        running += per_month[month]
        cumulative.append(running if month <= last else None)
    pace = tuple(round(target * month_end_fraction(year, m), 2) for m in range(1, 13))
    # The forecast line leaves the actual line at the last finished month (Jan: from zero at the start), so it
    # always has two points to draw a segment between, December included.
    forecast: list[float | None] = [None] * 12
    if 0 < fraction < 1:
        for m in range(last, 13):
            forecast[m - 1] = round(figure.actual * month_end_fraction(year, m) / fraction, 2)
        if last > 1:
            forecast[last - 2] = float(cumulative[last - 2] or 0)
    return tuple(cumulative), pace, tuple(forecast)


def progress_of(figure: goals.Figure, target: int, today: date) -> Progress:
    fraction = elapsed_fraction(figure.year, today)
    status, behind = status_of(figure.actual, target, fraction)
    cumulative, pace_line, forecast_line = burn_up(figure, target, today)
    return Progress(figure.metric, figure.year, target, figure.actual, pace_value(target, fraction),
                    forecast_value(figure.actual, fraction), status, behind, cumulative, pace_line, forecast_line)


def year_progress(year: int, today: date | None = None) -> dict[str, Progress]:
    """Each goal's progress for a year (no permission check: callers check)."""
    today = today or fields.today()
    targets = goals.targets_for(year)
    return {m: progress_of(f, targets[m], today) for m, f in goals.count_all(year, today).items()}


@dataclass(frozen=True)
class Dashboard:
    year: int
    today: date
    years: list[int]
    progress: dict[str, Progress]
    chain_names: dict[int | None, str]
    by_chain: dict[str, Counter[int | None]]
    funnel: goals_funnel.Funnel
    gaps: list[goals_funnel.ChainGaps]
    matching: match_stats.Freshness
    """How current the match stage and gap list are (they come from a background job)."""
    stale: list[Intent] = field(default_factory=list)


def _chain_names() -> dict[int | None, str]:
    names: dict[int | None, str] = {c.id: c.name for c in chain_service.list_chains()}
    names[None] = str(_l("未分类"))
    return names


def gap_list(chain_id: int | None, page: int, actor: User | None) -> goals_funnel.GapPage:
    """A page of one chain's gap needs, for staff (an unknown chain is a 404)."""
    require_staff(actor)
    names = _chain_names()
    if chain_id not in names:
        raise NotFound(_l("找不到该产业链。"))
    return goals_funnel.gap_page(chain_id, page, names)


def dashboard_for(year: int, actor: User | None, today: date | None = None) -> Dashboard:
    """Everything the dashboard page shows for a year (staff only)."""
    user = require_staff(actor)
    goals.check_year(year)
    today = today or fields.today()
    matching = match_stats.keep_current(user)  # first: a refresh it starts is the viewer's (its progress page)
    figures = goals.count_all(year, today)
    targets = goals.targets_for(year)
    names = _chain_names()
    return Dashboard(
        year=year, today=today, years=list(range(today.year - 4, today.year + 2)),
        progress={m: progress_of(figures[m], targets[m], today) for m in GOAL_METRICS},
        chain_names=names, by_chain={m: figures[m].by_chain() for m in GOAL_METRICS},
        funnel=goals_funnel.funnel(year, today), gaps=goals_funnel.gaps_by_chain(names), matching=matching,
        stale=intent_service.stale_intents(user, today=today),
    )
