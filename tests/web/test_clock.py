"""One "today", in the bureau's time zone (issue 7, item 3): at 02:00 in Beijing (18:00 UTC the day before) every
page, service and API answer takes Beijing's date, never the server's UTC one; TIMEZONE changes it."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

import matchmaker
from matchmaker.extensions import db
from matchmaker.models import Intent, User
from matchmaker.services import accounts, fields
from matchmaker.services.deals import intents
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress
from tests.conftest import login

# 02:00 on 1 January 2026 in Beijing is still 31 December 2025 in UTC: day, month and year all differ.
BEIJING_2AM = datetime(2025, 12, 31, 18, 0, tzinfo=UTC)
BEIJING_DAY, UTC_DAY = date(2026, 1, 1), date(2025, 12, 31)


@pytest.fixture
def at_2am() -> Iterator[None]:
    with time_machine.travel(BEIJING_2AM, tick=False):
        assert datetime.now(UTC).date() == UTC_DAY  # what the old date.today() gave on a UTC server
        yield


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


def _intent(make_posting: Callable[..., Any], make_org: Callable[..., Any], day: date) -> Intent:
    intent = Intent(result_id=make_posting("result").id, company_id=make_org(kind="company").id, logged_on=day,
                    status="open", last_activity_on=day)
    db.session.add(intent)
    db.session.commit()
    return intent


def test_services_take_beijing_today(at_2am: None, staff: User, make_posting: Callable[..., Any],
                                     make_org: Callable[..., Any]) -> None:
    assert fields.today() == BEIJING_DAY and fields.now().hour == 2
    assert fields.local_day(datetime(2025, 12, 31, 18, 0)) == BEIJING_DAY  # a stored (UTC) timestamp
    intent = _intent(make_posting, make_org, UTC_DAY)
    intents.set_intent_status(intent.id, "negotiating", staff)
    assert intent.last_activity_on == BEIJING_DAY
    new_year = _intent(make_posting, make_org, BEIJING_DAY)
    assert goals.count(2026, "intents").ids == [new_year.id]  # logged "today" counts on the new year's figure
    board = progress.dashboard_for(2026, staff)
    assert board.today == BEIJING_DAY and board.progress["intents"].actual == 1


def test_pages_take_beijing_today(at_2am: None, client: FlaskClient, staff: User,
                                  make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> None:
    login(client, staff)
    page = client.get("/dashboard/").get_data(as_text=True)  # no ?year=: the current year is Beijing's
    assert "统计日期：2026-01-01" in page and "<title>三十三百看板 2026" in page
    assert re.search(r'name="logged_on"[^>]*value="2026-01-01"', client.get("/deals/intents/new").get_data(True))
    assert re.search(r'name="signed_on"[^>]*value="2026-01-01"', client.get("/deals/transfers/new").get_data(True))
    intent = _intent(make_posting, make_org, UTC_DAY)
    detail = client.get(f"/deals/intents/{intent.id}").get_data(as_text=True)
    assert re.search(r'name="noted_on"[^>]*value="2026-01-01"', detail)
    export = client.get("/io/export/intents.xlsx")
    assert "20260101" in export.headers.get("Content-Disposition", "")


def test_api_takes_beijing_today(at_2am: None, client: FlaskClient, staff: User) -> None:
    _token, plain = accounts.create_api_token(staff, "clock")
    answer = client.get("/api/v1/goals/2026", headers={"Authorization": f"Bearer {plain}"})
    assert answer.status_code == 200 and answer.json["today"] == "2026-01-01"


@pytest.mark.parametrize(("zone", "expected"), [("Asia/Shanghai", BEIJING_DAY), ("UTC", UTC_DAY),
                                                ("America/New_York", UTC_DAY)])
def test_timezone_is_configurable(at_2am: None, app: Flask, zone: str, expected: date) -> None:
    app.config["TIMEZONE"] = zone
    assert fields.today() == expected
    assert fields.now().utcoffset() == datetime.now(fields.local_tz()).utcoffset()


def test_babel_shows_times_in_the_same_zone(app: Flask) -> None:
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == app.config["TIMEZONE"] == "Asia/Shanghai"
    assert timedelta(hours=8) == fields.now().utcoffset()


def test_no_other_today_in_the_code() -> None:
    """Every "today" goes through fields.today(): the server's own date is UTC (or whatever the host says)."""
    root = Path(matchmaker.__file__).parent
    pattern = re.compile(r"date\.today\(|\.now\(\)\.date\(|utcnow\(\)\.date\(|datetime\.today\(|ZoneInfo\(\"")
    found = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py") if p.name != "fields.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
