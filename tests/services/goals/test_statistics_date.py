"""Nothing that has not happened yet inflates 三十三百 (issue 7, item 2): an event is marked held only on or after its
date; an intent, a follow-up note or a transfer cannot be dated in the future (a localized field error); and the
figures count only what has happened by the statistics date."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, Intent, Invitation, Transfer, User
from matchmaker.services import fields
from matchmaker.services.deals import intents, transfers
from matchmaker.services.errors import Conflict, ValidationFailed
from matchmaker.services.events import events
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def deal(make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> dict[str, Any]:
    firm = make_org(kind="company", region="370303")
    return {"result_id": str(make_posting("result").id), "company_id": str(firm.id), "buyer_id": str(firm.id),
            "mode": "license", "contract_type": "license", "amount_wan": "10", "local": "auto"}


def _event(staff: User, chains: list[Any], starts: datetime) -> Event:
    return events.create_event({"name": "新材料成果对接会", "type": "matchmaking", "chain_ids": [str(chains[0].id)],
                                "starts_at": starts.strftime("%Y-%m-%dT%H:%M")}, staff)


def test_an_event_is_held_only_on_or_after_its_date(staff: User, default_chains: list[Any]) -> None:
    today = fields.today()
    later = _event(staff, default_chains, datetime.combine(today + timedelta(days=30), datetime.min.time()))
    with pytest.raises(Conflict) as caught:
        events.set_event_status(later.id, "held", staff)
    assert caught.value.code == "not_yet" and "尚未到活动日期" in str(caught.value.message)
    assert db.session.get(Event, later.id).status == "planned"
    events.set_event_status(later.id, "cancelled", staff)  # cancelling ahead of time is fine
    tonight = _event(staff, default_chains, datetime.combine(today, datetime.min.time()).replace(hour=23))
    assert events.set_event_status(tonight.id, "held", staff).status == "held"  # the same day counts


def test_a_held_event_cannot_be_moved_into_the_future(staff: User, default_chains: list[Any]) -> None:
    past = _event(staff, default_chains, datetime(2025, 5, 20, 9))
    events.set_event_status(past.id, "held", staff)
    data = {"name": past.name, "type": past.type, "chain_ids": [str(default_chains[0].id)],
            "starts_at": f"{fields.today() + timedelta(days=7):%Y-%m-%d} 09:00"}
    with pytest.raises(ValidationFailed) as caught:
        events.update_event(past.id, data, staff)
    assert list(caught.value.errors) == ["starts_at"]


def test_held_on_beijing_day_while_utc_is_still_yesterday(staff: User, default_chains: list[Any]) -> None:
    event = _event(staff, default_chains, datetime(2026, 1, 1, 9))
    with time_machine.travel(datetime(2025, 12, 31, 18, 0, tzinfo=UTC), tick=False):  # 02:00 on 1 Jan in Beijing
        assert events.set_event_status(event.id, "held", staff).status == "held"


@pytest.mark.parametrize(("service", "field"), [
    (lambda d, u: intents.create_intent(d, u), "logged_on"),
    (lambda d, u: transfers.record_transfer({**d, "contract_number": "HT-9"}, u), "signed_on"),
])
def test_intents_and_transfers_cannot_be_dated_in_the_future(staff: User, deal: dict[str, Any], service: Any,
                                                             field: str) -> None:
    tomorrow = fields.today() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        service({**deal, field: tomorrow.isoformat()}, staff)
    assert list(caught.value.errors) == [field]
    assert "不能晚于今天" in str(caught.value.errors[field][0])
    db.session.rollback()
    assert db.session.scalar(select(Intent.id)) is None and db.session.scalar(select(Transfer.id)) is None
    assert service({**deal, field: fields.today().isoformat()}, staff).id  # today itself is fine


def test_a_note_cannot_be_dated_in_the_future(staff: User, deal: dict[str, Any]) -> None:
    intent = intents.create_intent({**deal, "logged_on": "2025-03-01"}, staff)
    tomorrow = fields.today() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        intents.add_note(intent.id, {"noted_on": tomorrow.isoformat(), "text": "约定下周面谈"}, staff)
    assert list(caught.value.errors) == ["noted_on"]
    assert intent.last_activity_on == date(2025, 3, 1)


def test_figures_count_only_what_happened_by_the_statistics_date(staff: User, deal: dict[str, Any],
                                                                 default_chains: list[Any]) -> None:
    """Rows dated later (from before this rule, or typed straight into the database) wait for their day."""
    firm = int(deal["company_id"])
    soon, later = datetime(2025, 6, 10, 9), datetime(2025, 6, 20, 9)
    for day in (soon, later):
        event = Event(name=f"活动{day:%m%d}", type="matchmaking", starts_at=day, status="held",
                      chain_ids=[default_chains[0].id])
        db.session.add(event)
        db.session.flush()
        db.session.add(Invitation(event_id=event.id, org_id=firm, status="attended"))
        db.session.add(Intent(result_id=int(deal["result_id"]), company_id=firm, logged_on=day.date(),
                              status="open", last_activity_on=day.date()))
        db.session.add(Transfer(result_id=int(deal["result_id"]), buyer_id=firm, contract_number=f"HT-{day:%d}",
                                contract_type="license", signed_on=day.date()))
    db.session.commit()
    counted = {d: {m: f.actual for m, f in goals.count_all(2025, as_of=d).items() if m != "results"}
               for d in (date(2025, 6, 9), date(2025, 6, 10), date(2025, 6, 19), date(2025, 12, 31))}
    assert counted == {
        date(2025, 6, 9): {"events": 0, "transfers": 0, "firms": 0, "intents": 0},
        date(2025, 6, 10): {"events": 1, "transfers": 1, "firms": 1, "intents": 1},
        date(2025, 6, 19): {"events": 1, "transfers": 1, "firms": 1, "intents": 1},
        date(2025, 12, 31): {"events": 2, "transfers": 2, "firms": 1, "intents": 2}}
    board = progress.dashboard_for(2025, staff, today=date(2025, 6, 15))
    assert {m: p.actual for m, p in board.progress.items() if m != "results"} == counted[date(2025, 6, 10)]
    assert board.funnel.total.values[2:] == (1, 1)  # the funnel's intents and transfers agree
    assert goals.count(2025, "intents").actual == 2  # by default: by today


def test_evidence_lists_only_what_is_counted(staff: User, deal: dict[str, Any]) -> None:
    from matchmaker.services.goals import evidence

    future = fields.today() + timedelta(days=3)
    db.session.add(Intent(result_id=int(deal["result_id"]), company_id=int(deal["company_id"]), logged_on=future,
                          status="open", last_activity_on=future))
    db.session.commit()
    assert evidence.evidence_table(future.year, "intents", staff).rows == []
    assert goals.count(future.year, "intents").actual == 0
