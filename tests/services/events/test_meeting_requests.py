"""约见: meeting requests between an event's participants, their answers, and the agenda keeping them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    AuditEntry,
    Chain,
    Event,
    Invitation,
    Meeting,
    MeetingRequest,
    Notification,
    OutgoingMail,
    User,
)
from matchmaker.services.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import events, schedule
from matchmaker.services.events import meeting_requests as requests
from matchmaker.services.notify.notifications import staff_users
from tests.services.events.test_events import event_data

FUTURE = "2031-03-01T09:00"


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


class Cast:
    """A planned event two years ahead: three presented results (three universities), three registered firms
    each with a matching need, a fourth firm only invited; 2 slots × 2 tables, cap 2."""

    def __init__(self, event: Event, researchers: list[User], firms: list[User], outsider: User,
                 results: list[Any]) -> None:
        self.event, self.researchers, self.firms, self.outsider, self.results = (event, researchers, firms, outsider,
                                                                                 results)
        self.staff: User | None = None


@pytest.fixture
def cast(default_chains: list[Chain], make_user: Callable[..., User], make_posting: Callable[..., Any]) -> Cast:
    staff = make_user("staff")
    researchers = [make_user("researcher", email_verified=True) for _ in range(3)]
    results = [make_posting("result", owner=r) for r in researchers]
    firms = [make_user("company", email=f"firm{i}@example.com", email_verified=True) for i in range(4)]
    for firm in firms:
        make_posting("need", owner=firm)
    event = events.create_event(event_data(default_chains, starts_at=FUTURE, slot_count="2", table_count="2",
                                           meeting_cap="2"), staff)
    events.add_to_lists(event.id, {"result_ids": [r.id for r in results], "org_ids": [f.org_id for f in firms]},
                        staff)
    for inv in event.invitations:
        if inv.org_id != firms[3].org_id:
            inv.status = "registered"
    db.session.commit()
    made = Cast(event, researchers, firms[:3], firms[3], results)
    made.staff = staff
    return made


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(MeetingRequest.id))) or 0,
            db.session.scalar(select(func.count(AuditEntry.id))) or 0,
            db.session.scalar(select(func.count(Notification.id))) or 0)


def ask(cast: Cast, firm: int = 0, result: int = 0, **extra: Any) -> MeetingRequest:
    data = {"result_id": str(cast.results[result].id), "message": "想了解中试条件和授权方式", **extra}
    return requests.request_meeting(cast.event.id, data, cast.firms[firm])


def test_request_notifies_the_result_owners_organization(cast: Cast) -> None:
    req = ask(cast)
    assert (req.status, req.to_org_id, req.result_id, req.target_kind) == (
        "requested", cast.researchers[0].org_id, cast.results[0].id, "result")
    note = db.session.scalars(select(Notification).where(Notification.recipient_id == cast.researchers[0].id,
                                                         Notification.kind == "meeting_request")).one()
    assert note.kind == "meeting_request" and note.subject == "meeting_requested"
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity_type == "meeting_request")) == \
        "request_meeting"


def test_request_to_a_registered_organization_takes_a_presented_result_as_topic(cast: Cast) -> None:
    # a university asks a firm: the topic is the university's own presented result
    req = requests.request_meeting(cast.event.id, {"org_id": str(cast.firms[1].org_id), "message": "介绍成果"},
                                   cast.researchers[2])
    assert (req.to_org_id, req.result_id, req.target_kind) == (cast.firms[1].org_id, cast.results[2].id,
                                                              "organization")
    assert req.company_org_id == cast.firms[1].org_id


@pytest.mark.parametrize(
    ("who", "data", "code"),
    [
        ("outsider", {}, "not_registered"),  # invited, not registered
        ("firm0", {"result_id": "ORG_OF_SELF"}, "self_request"),
        ("firm0", {"result_id": None, "org_id": "OUTSIDER"}, "not_a_participant"),
        ("firm0", {"result_id": "999999"}, "not_a_participant"),
        ("firm0", {"result_id": None, "org_id": "FIRM1"}, "no_presented_result"),
        ("firm0", {"message": ""}, "validation_failed"),
        ("firm0", {"message": "长" * 301}, "validation_failed"),
        ("firm0", {"result_id": None}, "validation_failed"),
    ],
    ids=["not_registered", "to_oneself", "to_non_participant", "unpresented_result", "firm_to_firm",
         "no_message", "message_too_long", "no_target"],
)
def test_bad_requests_are_refused_with_nothing_written(cast: Cast, make_posting: Callable[..., Any], who: str,
                                                       data: dict[str, Any], code: str) -> None:
    own = make_posting("result", owner=cast.firms[0])  # a firm's own result: asking it is asking oneself
    if data.get("result_id") == "ORG_OF_SELF":
        events.add_to_lists(cast.event.id, {"result_ids": [own.id]}, cast_staff(cast))
    replace = {"ORG_OF_SELF": str(own.id), "OUTSIDER": str(cast.outsider.org_id), "FIRM1": str(cast.firms[1].org_id)}
    data = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    actor = cast.outsider if who == "outsider" else cast.firms[0]
    before = counts()
    with pytest.raises(DomainError) as caught:
        ask(cast, **data) if who != "outsider" else requests.request_meeting(
            cast.event.id, {"result_id": str(cast.results[0].id), "message": "你好"}, actor)
    assert caught.value.code == code
    assert str(caught.value.message)
    assert counts() == before


def cast_staff(cast: Cast) -> User:
    assert cast.staff is not None
    return cast.staff


@pytest.mark.parametrize("change", ["cancelled", "held", "past"])
def test_no_requests_for_a_cancelled_held_or_past_event(cast: Cast, change: str) -> None:
    if change == "past":
        cast.event.starts_at = datetime(2020, 1, 1, 9, 0)
    else:
        cast.event.status = change
    db.session.commit()
    before = counts()
    with pytest.raises(Conflict) as caught:
        ask(cast)
    assert caught.value.code == "event_closed"
    assert counts() == before


def test_a_second_open_request_between_the_same_two_is_refused(cast: Cast) -> None:
    ask(cast)
    before = counts()
    with pytest.raises(Conflict) as caught:
        ask(cast)
    assert caught.value.code == "duplicate_request"
    # nor the other way round
    with pytest.raises(Conflict):
        requests.request_meeting(cast.event.id, {"org_id": str(cast.firms[0].org_id), "message": "反向"},
                                 cast.researchers[0])
    assert counts() == before


def test_accept_notifies_and_mails_the_requester(cast: Cast) -> None:
    req = ask(cast)
    with pytest.raises(NotFound):  # a third party does not even see it
        requests.accept_request(req.id, cast.firms[1])
    with pytest.raises(PermissionDenied):  # only the target organization answers
        requests.accept_request(req.id, cast.firms[0])
    requests.accept_request(req.id, cast.researchers[0])
    assert (req.status, req.answered_by_id) == ("accepted", cast.researchers[0].id) and req.answered_at
    note = db.session.scalars(select(Notification).where(Notification.recipient_id == cast.firms[0].id,
                                                         Notification.kind == "meeting_request")).one()
    assert note.subject == "meeting_accepted"
    mails = db.session.scalars(select(OutgoingMail).where(OutgoingMail.to == cast.firms[0].email)).all()
    assert any("同意" in m.text and cast.event.name in m.text for m in mails)
    with pytest.raises(Conflict) as caught:
        requests.decline_request(req.id, cast.researchers[0])
    assert caught.value.code == "bad_status"


def test_a_stranger_cannot_see_a_request(cast: Cast) -> None:
    req = ask(cast)
    with pytest.raises(NotFound):
        requests.get_request(req.id, cast.firms[2])


def test_accepting_beyond_the_cap_is_refused(cast: Cast) -> None:
    # cap 2: firm 0 has two accepted meetings, a third acceptance involving it fails
    for i in range(2):
        requests.accept_request(ask(cast, result=i).id, cast.researchers[i])
    third = ask(cast, result=2)
    before = counts()
    with pytest.raises(Conflict) as caught:
        requests.accept_request(third.id, cast.researchers[2])
    assert caught.value.code == "cap_reached" and "上限" in str(caught.value.message)
    db.session.refresh(third)
    assert third.status == "requested" and counts() == before


def test_withdraw_by_the_requester_only(cast: Cast) -> None:
    req = ask(cast)
    with pytest.raises(PermissionDenied):
        requests.withdraw_request(req.id, cast.researchers[0])
    requests.withdraw_request(req.id, cast.firms[0])
    assert req.status == "withdrawn"
    with pytest.raises(Conflict):
        requests.withdraw_request(req.id, cast.firms[0])
    ask(cast)  # a withdrawn request does not block a new one


def test_lists_received_and_sent(cast: Cast) -> None:
    ask(cast, firm=0)
    ask(cast, firm=1)
    received, total = requests.list_requests(cast.researchers[0], box="received")
    assert total == 2 and {r.from_org_id for r in received} == {cast.firms[0].org_id, cast.firms[1].org_id}
    sent, total = requests.list_requests(cast.firms[0], box="sent")
    assert total == 1 and sent[0].to_org_id == cast.researchers[0].org_id
    assert requests.list_requests(cast.firms[2], box="sent")[1] == 0


def test_agenda_keeps_accepted_and_never_schedules_declined(cast: Cast, staff: User) -> None:
    # Every firm matches every result; accepted: firm0 × result2 and firm2 × result0; declined: firm1 × result1.
    accepted = [ask(cast, firm=0, result=2), ask(cast, firm=2, result=0)]
    for req, owner in zip(accepted, (cast.researchers[2], cast.researchers[0]), strict=True):
        requests.accept_request(req.id, owner)
    requests.decline_request(ask(cast, firm=1, result=1).id, cast.researchers[1])
    for keep in (False, True, False):
        summary = agenda_planning.build_agenda(cast.event.id, keep_existing=keep, actor=staff)
        db.session.refresh(cast.event)
        meetings = cast.event.meetings
        agreed = {(m.result_id, m.company_id, m.request_id) for m in meetings if m.request_id}
        assert agreed == {(cast.results[2].id, cast.firms[0].org_id, accepted[0].id),
                          (cast.results[0].id, cast.firms[2].org_id, accepted[1].id)}
        assert not any(m.result.org_id == cast.researchers[1].org_id and m.company_id == cast.firms[1].org_id
                       for m in meetings)
        assert keep or summary.agreed == 2


def test_agenda_reports_agreed_meetings_that_do_not_fit(cast: Cast, staff: User) -> None:
    for i in range(2):
        requests.accept_request(ask(cast, firm=i, result=0).id, cast.researchers[0])
    cast.event.slot_count = 1  # result 0's team cannot be at two tables at once
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        agenda_planning.build_agenda(cast.event.id, keep_existing=False, actor=staff)
    assert caught.value.code == "required_infeasible" and "已约定" in str(caught.value.message)


def test_validation_errors_are_field_errors(cast: Cast) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ask(cast, message=" ")
    assert "message" in caught.value.errors


def test_staff_without_an_organization_cannot_request(cast: Cast, staff: User) -> None:
    with pytest.raises(DomainError):
        requests.request_meeting(cast.event.id, {"result_id": str(cast.results[0].id), "message": "x"}, staff)
    assert db.session.scalar(select(func.count(Invitation.id))) == 4


def test_withdrawing_an_agreed_meeting_takes_it_off_the_saved_agenda(cast: Cast, staff: User) -> None:
    kept, withdrawn = ask(cast, firm=0, result=2), ask(cast, firm=2, result=0)
    for req, owner in ((kept, cast.researchers[2]), (withdrawn, cast.researchers[0])):
        requests.accept_request(req.id, owner)
    agenda_planning.build_agenda(cast.event.id, keep_existing=False, actor=staff)
    db.session.refresh(cast.event)
    others = {m.id for m in cast.event.meetings if m.request_id != withdrawn.id}
    assert any(m.request_id == withdrawn.id for m in cast.event.meetings)
    freed_slot = next(m.slot for m in cast.event.meetings if m.request_id == withdrawn.id)

    requests.withdraw_request(withdrawn.id, cast.firms[2])

    db.session.expire_all()
    left = db.session.scalars(select(Meeting).where(Meeting.event_id == cast.event.id)).all()
    assert {m.id for m in left} == others and any(m.request_id == kept.id for m in left)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "remove_meeting")).one()
    assert entry.note.endswith(f"request {withdrawn.id} withdrawn")
    told = db.session.scalars(select(Notification).where(Notification.subject == "agenda_meeting_withdrawn")).all()
    recipients = {n.recipient_id for n in told}
    assert recipients == {u.id for u in staff_users()} and staff.id in recipients
    assert told[0].link == f"/events/{cast.event.id}/agenda" and told[0].params["table"] >= 1
    assert told[0].params["time"] == schedule.slot_start(cast.event, freed_slot).strftime("%H:%M")


def test_withdrawing_an_agreed_meeting_before_any_agenda_tells_staff_nothing(cast: Cast, staff: User) -> None:
    req = ask(cast, firm=0, result=2)
    requests.accept_request(req.id, cast.researchers[2])
    requests.withdraw_request(req.id, cast.firms[0])
    assert db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.subject == "agenda_meeting_withdrawn")) == 0
