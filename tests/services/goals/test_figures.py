"""三十三百 figures counted from records: a scenario with exactly known answers, and what changes them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Event, Goal, Intent, Invitation, Meeting, Transfer
from matchmaker.models.goal import DEFAULT_TARGETS
from matchmaker.services.errors import PermissionDenied, ValidationFailed
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress as goals_progress
from matchmaker.web.dashboard import charts

YEAR = 2025
SEAL = "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。"


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)


@pytest.fixture
def world(app: Any, default_chains: list[Any], make_org: Callable[..., Any], make_user: Callable[..., Any],
          make_posting: Callable[..., Any]) -> dict[str, Any]:
    """Records of 2024 and 2025 whose 2025 figures are known by hand."""
    uni, inst = make_org(kind="university"), make_org(kind="institute")
    firm = make_org(kind="company")
    a, c, d = (make_org(kind="company") for _ in range(3))
    b = make_org(kind="company", region="110101")  # registered in Beijing: not local
    researcher = make_user("researcher", org=uni)
    w: dict[str, Any] = {"a": a, "b": b, "c": c, "d": d}

    def result(org: Any, day: date, title: str, summary: str, **kw: Any) -> Any:
        r = make_posting("result", owner=researcher, title=title, summary=summary, keywords=[title[:4]], **kw)
        r.org_id, r.published_at = org.id, _at(day)
        db.session.commit()
        return r

    w["r1"] = result(uni, date(2025, 3, 1), "耐高温氟橡胶密封材料", SEAL)
    w["r2"] = result(inst, date(2025, 5, 1), "锂电池正极材料回收工艺",
                     "从退役动力电池中高效回收镍钴锰并再生正极材料的湿法冶金工艺，回收率高。")
    w["r3"] = result(uni, date(2025, 6, 1), "耐高温氟橡胶密封材料（二）", SEAL)
    w["r3"].duplicate_of_id = w["r1"].id
    result(firm, date(2025, 4, 1), "企业自研陶瓷膜过滤装置",
           "企业自行研发的陶瓷膜过滤装置，用于化工废水处理与资源回收利用场景。")
    result(uni, date(2024, 8, 1), "智能温室环境控制系统",
           "基于物联网传感器的温室环境监测与自动控制系统，节水节能效果明显。")

    def event(day: date, status: str) -> Event:
        e = Event(name=f"活动{day}", type="matchmaking", starts_at=datetime(day.year, day.month, day.day, 9),
                  status=status, chain_ids=[default_chains[0].id])
        db.session.add(e)
        db.session.flush()
        return e

    e1, e2 = event(date(2025, 4, 10), "held"), event(date(2025, 9, 1), "held")
    e3, e4 = event(date(2025, 5, 1), "cancelled"), event(date(2024, 11, 1), "held")
    w["e2"] = e2
    db.session.add_all([Invitation(event_id=e1.id, org_id=a.id, status="attended"),
                        Invitation(event_id=e2.id, org_id=a.id, status="attended"),
                        Invitation(event_id=e1.id, org_id=c.id, status="invited"),
                        Invitation(event_id=e3.id, org_id=d.id, status="attended"),
                        Invitation(event_id=e4.id, org_id=b.id, status="attended"),
                        Meeting(event_id=e2.id, result_id=w["r2"].id, company_id=b.id, slot=1, table_no=1)])

    def intent(org: Any, day: date, status: str, r: Any) -> Intent:
        i = Intent(result_id=r.id, company_id=org.id, logged_on=day, status=status, last_activity_on=day)
        db.session.add(i)
        return i

    intent(c, date(2025, 2, 1), "open", w["r1"])
    w["i2"] = intent(a, date(2025, 6, 1), "negotiating", w["r2"])
    intent(a, date(2024, 12, 20), "open", w["r1"])
    intent(d, date(2025, 3, 3), "dropped", w["r2"])

    def transfer(org: Any, day: date, n: int, override: bool | None = None) -> None:
        db.session.add(Transfer(result_id=w["r1"].id, buyer_id=org.id, contract_number=f"HT-{n}",
                                contract_type="transfer", signed_on=day, local_override=override))

    transfer(a, date(2025, 5, 5), 1)
    transfer(b, date(2025, 6, 6), 2)
    transfer(c, date(2024, 6, 6), 3)
    transfer(b, date(2025, 7, 7), 4, override=True)
    db.session.commit()
    return w


def figures() -> dict[str, int]:
    return {m: f.actual for m, f in goals.count_all(YEAR).items()}


def test_scenario_gives_the_five_numbers(world: dict[str, Any]) -> None:
    assert figures() == {"events": 2, "transfers": 2, "results": 2, "firms": 4, "intents": 2}


def test_near_duplicates_are_merged_into_the_first(world: dict[str, Any]) -> None:
    results = goals.count(YEAR, "results")
    first = next(e for e in results.evidence if e.id == world["r1"].id)
    assert first.merged == (world["r3"].id,)


def test_engine_finds_duplicates_without_the_flag(world: dict[str, Any]) -> None:
    world["r3"].duplicate_of_id = None
    db.session.commit()
    assert goals.count(YEAR, "results").actual == 2


def test_firms_are_distinct_and_companies_only(world: dict[str, Any]) -> None:
    ids = set(goals.count(YEAR, "firms").ids)
    assert ids == {world["a"].id, world["b"].id, world["c"].id, world["d"].id}


def test_cancelling_an_event_changes_events_and_firms(world: dict[str, Any]) -> None:
    world["e2"].status = "cancelled"
    db.session.commit()
    # b was only met at e2; a also attended e1 and stays.
    assert figures() == {"events": 1, "transfers": 2, "results": 2, "firms": 3, "intents": 2}


def test_dropping_an_intent_changes_intents_only(world: dict[str, Any]) -> None:
    world["i2"].status = "dropped"
    db.session.commit()
    assert figures() == {"events": 2, "transfers": 2, "results": 2, "firms": 4, "intents": 1}


def test_local_override_off_removes_a_transfer(world: dict[str, Any]) -> None:
    world["a"].local_override = False
    db.session.commit()
    assert goals.count(YEAR, "transfers").actual == 1


def test_other_year(world: dict[str, Any]) -> None:
    got = {m: f.actual for m, f in goals.count_all(2024).items()}
    assert got == {"events": 1, "transfers": 1, "results": 1, "firms": 2, "intents": 1}


def test_per_chain_breakdown_adds_up(world: dict[str, Any], default_chains: list[Any]) -> None:
    for figure in goals.count_all(YEAR).values():
        assert sum(figure.by_chain().values()) == figure.actual
    assert goals.count(YEAR, "events").by_chain()[default_chains[0].id] == 2


def test_targets_default_then_set(app: Any, make_user: Callable[..., Any]) -> None:
    staff = make_user("staff")
    assert goals.targets_for(YEAR) == DEFAULT_TARGETS
    new = dict(DEFAULT_TARGETS, events=12, firms=150)
    assert goals.set_targets(YEAR, new, staff) == new
    assert goals.targets_for(YEAR + 1) == DEFAULT_TARGETS
    assert db.session.scalar(select(Goal).where(Goal.metric == "events")).target == 12
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "set_target")).all()
    assert {e.changes["target"]["after"] for e in entries} == {12, 150}


@pytest.mark.parametrize("bad", [{"events": -1}, {"events": "x"}, {"events": ""}, {"events": 10**9}])
def test_targets_are_validated(app: Any, make_user: Callable[..., Any], bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        goals.set_targets(YEAR, dict(DEFAULT_TARGETS, **bad), make_user("staff"))
    assert db.session.scalar(select(Goal)) is None


def test_only_staff_set_targets(app: Any, make_user: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        goals.set_targets(YEAR, dict(DEFAULT_TARGETS), make_user("company"))


def test_dashboard_assembles(world: dict[str, Any], make_user: Callable[..., Any]) -> None:
    board = goals_progress.dashboard_for(YEAR, make_user("staff"), today=date(2025, 12, 31))
    assert board.progress["events"].actual == 2
    assert board.funnel.total.values[1] == 1  # one meeting at a held event
    assert board.funnel.total.values[3] == 3  # transfers of the year, local or not
    payload = charts.chart_payload(board)
    assert len(payload["goals"]["events"]["actual"]) == 12
    with pytest.raises(PermissionDenied):
        goals_progress.dashboard_for(YEAR, make_user("researcher"))
