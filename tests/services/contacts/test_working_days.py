"""The request deadlines run on working days: weekends off, the bureau's configured public holidays off, and
the weekend days moved to working days (调休) on."""
from __future__ import annotations

from datetime import date
from typing import Any

from matchmaker.services.contacts.rules import add_working_days, is_working_day


def test_weekends_only_by_default(app: Any) -> None:
    assert add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 1)  # Thursday → Friday
    assert add_working_days(date(2027, 10, 1), 1) == date(2027, 10, 4)  # Friday → Monday


def test_national_day_week_with_its_makeup_saturday(app: Any) -> None:
    app.config["PUBLIC_HOLIDAYS"] = [f"2027-10-0{d}" for d in range(1, 8)]
    app.config["MAKEUP_WORKDAYS"] = ["2027-09-26", "2027-10-09"]
    assert not is_working_day(date(2027, 10, 4)) and is_working_day(date(2027, 10, 9))
    assert is_working_day(date(2027, 9, 26)) and not is_working_day(date(2027, 10, 10))
    # Thursday 30 September + 2 working days: the holiday week is skipped, Saturday 9 October counts
    assert add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 8)
    assert add_working_days(date(2027, 9, 30), 2) == date(2027, 10, 9)
    assert add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 11)
