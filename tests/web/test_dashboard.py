"""Dashboard pages: staff see figures, charts data, evidence and targets; others are turned away."""
from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import Event, Goal
from tests.conftest import login


def _event(day: date, status: str = "held") -> None:
    db.session.add(Event(name=f"对接会{day}", type="matchmaking", starts_at=datetime(day.year, day.month, day.day, 9),
                         status=status))
    db.session.commit()


def test_staff_sees_the_dashboard(client: Any, make_user: Callable[..., Any], default_chains: list[Any]) -> None:
    year = date.today().year
    _event(date(year, 1, 2))
    _event(date(year, 1, 3), "cancelled")
    login(client, make_user("staff"))
    page = client.get("/dashboard/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "三十三百" in html and "echarts.min.js" in html and "dashboard.js" in html
    data = json.loads(re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', html,
                                re.S).group(1))  # type: ignore[union-attr]
    assert data["goals"]["events"]["actual"][0] == 1
    assert "<script>" not in html  # CSP: no inline scripts
    assert client.get(f"/dashboard/?year={year - 1}").status_code == 200


def test_evidence_page_and_excel(client: Any, make_user: Callable[..., Any], default_chains: list[Any]) -> None:
    _event(date(2025, 3, 3))
    login(client, make_user("staff"))
    page = client.get("/dashboard/2025/events")
    assert page.status_code == 200 and "对接会2025-03-03" in page.get_data(as_text=True)
    xlsx = client.get("/dashboard/2025/events.xlsx")
    assert xlsx.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == "对接会2025-03-03"
    assert client.get("/dashboard/2025/nonsense").status_code == 404
    report = client.get("/dashboard/report/2025.xlsx")
    assert report.status_code == 200 and len(load_workbook(io.BytesIO(report.data)).worksheets) == 6


def test_targets_form(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("staff"))
    assert client.get("/dashboard/2025/targets").status_code == 200
    form = {"events": 12, "transfers": 10, "results": 100, "firms": 120, "intents": 100}
    answer = client.post("/dashboard/2025/targets", data=form)
    assert answer.status_code == 302
    assert {g.metric: g.target for g in db.session.scalars(db.select(Goal))} == {"events": 12, "firms": 120}
    bad = client.post("/dashboard/2025/targets", data=dict(form, events=-3))
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)


def test_others_are_refused(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("company"))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/2025/events.xlsx").status_code == 403
    assert client.post("/dashboard/2025/targets", data={"events": 1}).status_code == 403


def test_signed_out_goes_to_sign_in(client: Any) -> None:
    answer = client.get("/dashboard/2025/events")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_the_gap_list_shows_the_first_needs_per_chain_and_pages_the_rest(
        client: Any, make_user: Callable[..., Any], make_posting: Callable[..., Any], default_chains: list[Any],
        monkeypatch: Any) -> None:
    from matchmaker.services.goals import funnel

    chain = default_chains[0]
    needs = [make_posting("need", title=f"第{i:02d}项无人应答的检测需求", chain_id=chain.id) for i in range(13)]
    login(client, make_user("staff"))
    html = client.get("/dashboard/").get_data(as_text=True)
    listed = re.findall(r'<a href="/needs/(\d+)">第\d\d项无人应答的检测需求</a>', html)
    assert len(listed) == funnel.GAP_PREVIEW and [int(i) for i in listed] == [n.id for n in needs[:10]]
    assert "查看全部 13 条" in html and f'href="/dashboard/gaps/{chain.id}"' in html

    monkeypatch.setattr(funnel, "GAP_PAGE_SIZE", 5)
    pages = [client.get(f"/dashboard/gaps/{chain.id}?page={n}").get_data(as_text=True) for n in (1, 2, 3, 99)]
    shown = [re.findall(r'<a href="/needs/(\d+)">', page) for page in pages]
    assert [len(ids) for ids in shown] == [5, 5, 3, 3], "page 99 is the last page"
    assert sorted(int(i) for ids in shown[:3] for i in ids) == sorted(n.id for n in needs)
    assert client.get("/dashboard/gaps/0").status_code == 200  # needs with no chain: none here
    assert client.get("/dashboard/gaps/987654").status_code == 404
    login(client, make_user("company"))
    assert client.get(f"/dashboard/gaps/{chain.id}").status_code == 403
