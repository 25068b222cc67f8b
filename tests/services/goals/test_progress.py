"""Pace, forecast and burn-up arithmetic (no database)."""
from __future__ import annotations

from datetime import date

import pytest

from matchmaker.services.goals.figures import Evidence, Figure
from matchmaker.services.goals.progress import (
    burn_up,
    elapsed_fraction,
    forecast_value,
    pace_value,
    progress_of,
    status_of,
)


def test_elapsed_fraction() -> None:
    assert elapsed_fraction(2025, date(2024, 12, 31)) == 0.0
    assert elapsed_fraction(2025, date(2025, 1, 1)) == pytest.approx(1 / 365)
    assert elapsed_fraction(2025, date(2025, 7, 2)) == pytest.approx(183 / 365)
    assert elapsed_fraction(2024, date(2024, 12, 31)) == 1.0  # leap year, last day
    assert elapsed_fraction(2025, date(2026, 3, 1)) == 1.0


@pytest.mark.parametrize(("actual", "fraction", "expected"), [
    (5, 0.5, 10), (0, 0.5, 0), (3, 0.25, 12), (7, 1.0, 7), (0, 0.0, 0), (1, 1 / 365, 365),
])
def test_forecast(actual: int, fraction: float, expected: int) -> None:
    assert forecast_value(actual, fraction) == expected


@pytest.mark.parametrize(("actual", "target", "fraction", "expected"), [
    (10, 10, 0.1, ("done", 0)),
    (5, 10, 0.5, ("on_track", 0)),
    (3, 10, 0.5, ("behind", 2)),
    (0, 10, 1 / 365, ("on_track", 0)),  # day one: nobody is behind yet
    (60, 100, 1.0, ("behind", 40)),  # a finished year misses by the gap to the target
])
def test_status(actual: int, target: int, fraction: float, expected: tuple[str, int]) -> None:
    assert status_of(actual, target, fraction) == expected


def test_pace_rounds_down() -> None:
    assert pace_value(10, 0.59) == 5
    assert pace_value(100, 1.0) == 100


def _figure(*days: date) -> Figure:
    return Figure("events", 2025, tuple(Evidence(i, d) for i, d in enumerate(days, start=1)))


def test_burn_up_current_year() -> None:
    cumulative, pace, forecast = burn_up(_figure(date(2025, 1, 5), date(2025, 3, 9), date(2025, 3, 20)), 12,
                                         date(2025, 4, 15))
    assert cumulative[:4] == (1, 1, 3, 3) and cumulative[4:] == (None,) * 8
    assert pace[11] == 12 and pace[0] == pytest.approx(12 * 31 / 365, abs=0.01)
    assert forecast[:2] == (None,) * 2 and forecast[2] == 3  # leaves the actual line at the end of March
    assert forecast[11] == pytest.approx(3 / elapsed_fraction(2025, date(2025, 4, 15)), abs=0.01)


@pytest.mark.parametrize("today", [date(2025, 12, 1), date(2025, 12, 30), date(2025, 1, 1), date(2025, 6, 30)])
def test_forecast_line_can_always_be_drawn(today: date) -> None:
    """Issue 7: in December the 年末预测 line had one point, which a line chart cannot draw (legend only)."""
    _cumulative, _pace, forecast = burn_up(_figure(date(2025, 1, 5)), 10, today)
    drawn = [i for i, v in enumerate(forecast) if v is not None]
    assert len(drawn) >= 2 and drawn == list(range(drawn[0], 12))  # a run of points up to December
    assert forecast[11] == pytest.approx(1 / elapsed_fraction(2025, today), abs=0.01)


def test_burn_up_past_year_has_no_forecast() -> None:
    cumulative, _pace, forecast = burn_up(_figure(date(2025, 12, 31)), 10, date(2026, 2, 1))
    assert cumulative[11] == 1 and cumulative[10] == 0
    assert set(forecast) == {None}


def test_progress_of() -> None:
    p = progress_of(_figure(date(2025, 2, 1), date(2025, 3, 1)), 10, date(2025, 7, 2))
    assert (p.actual, p.target, p.pace, p.status, p.behind_by) == (2, 10, 5, "behind", 3)
    assert p.forecast == 4 and p.percent == 20
