"""Events: fields, status transitions, lists, invitations and check-in, planning proposals."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, Event, Invitation, User
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import events


def event_data(chains: list[Chain], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "新材料成果对接会", "type": "matchmaking", "starts_at": "2025-05-20T09:00",
                            "venue": "淄博市科技大厦", "chain_ids": [str(chains[0].id)], "capacity": "80",
                            "slot_minutes": "20", "slot_count": "4", "table_count": "2", "meeting_cap": "2"}
    data.update(overrides)
    return data


def audit_actions(entity_type: str | None = None) -> list[str]:
    stmt = select(AuditEntry.action).order_by(AuditEntry.id)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    return list(db.session.scalars(stmt))


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


def test_create_event_stores_fields_and_audits(staff: User, default_chains: list[Chain]) -> None:
    event = events.create_event(event_data(default_chains), staff)
    assert event.status == "planned"
    assert event.starts_at == datetime(2025, 5, 20, 9, 0)
    assert event.chain_ids == [default_chains[0].id]
    assert (event.capacity, event.slot_count, event.table_count, event.meeting_cap) == (80, 4, 2, 2)
    assert "create" in audit_actions("event")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": ""}, "name"),
    ({"type": "party"}, "type"),
    ({"starts_at": "明天上午"}, "starts_at"),
    ({"starts_at": ""}, "starts_at"),
    ({"chain_ids": []}, "chain_ids"),
    ({"chain_ids": ["999999"]}, "chain_ids"),
    ({"capacity": "-3"}, "capacity"),
    ({"slot_count": "0"}, "slot_count"),
    ({"table_count": "很多"}, "table_count"),
])
def test_bad_event_fields_are_refused_and_nothing_stored(staff: User, default_chains: list[Chain],
                                                         overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        events.create_event(event_data(default_chains, **overrides), staff)
    assert field in caught.value.errors
    db.session.rollback()
    assert db.session.scalar(select(Event.id)) is None


@pytest.mark.parametrize("role", ["researcher", "company"])
def test_only_staff_manage_events(make_user: Callable[..., User], default_chains: list[Chain], role: str) -> None:
    with pytest.raises(PermissionDenied):
        events.create_event(event_data(default_chains), make_user(role))
    with pytest.raises(PermissionDenied):
        events.list_events(None)


@pytest.mark.parametrize(("first", "then", "ok"), [
    ("held", None, True), ("cancelled", None, True), ("held", "cancelled", False), ("cancelled", "held", False),
    ("held", "planned", False), ("planned", None, False),
])
def test_status_transitions(staff: User, default_chains: list[Chain], first: str, then: str | None, ok: bool) -> None:
    event = events.create_event(event_data(default_chains), staff)
    if then is None:
        if ok:
            assert events.set_event_status(event.id, first, staff).status == first
            assert "set_status" in audit_actions("event")
        else:
            with pytest.raises(Conflict):
                events.set_event_status(event.id, first, staff)
        return
    events.set_event_status(event.id, first, staff)
    with pytest.raises(Conflict):
        events.set_event_status(event.id, then, staff)
    assert db.session.get(Event, event.id).status == first


def test_cancelled_event_cannot_be_edited(staff: User, default_chains: list[Chain]) -> None:
    event = events.create_event(event_data(default_chains), staff)
    events.set_event_status(event.id, "cancelled", staff)
    with pytest.raises(Conflict):
        events.update_event(event.id, event_data(default_chains, name="改名"), staff)


def test_update_event_audits_changes(staff: User, default_chains: list[Chain]) -> None:
    event = events.create_event(event_data(default_chains), staff)
    events.update_event(event.id, event_data(default_chains, venue="高新区会议中心"), staff)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.changes == {"venue": {"before": "淄博市科技大厦", "after": "高新区会议中心"}}


def test_list_filters(staff: User, default_chains: list[Chain]) -> None:
    a = events.create_event(event_data(default_chains, name="路演一", type="roadshow"), staff)
    events.create_event(event_data(default_chains, name="对接二", starts_at="2026-01-05T14:00"), staff)
    events.set_event_status(a.id, "held", staff)
    assert [e.name for e in events.list_events(staff)] == ["对接二", "路演一"]
    assert [e.name for e in events.list_events(staff, events.EventFilter(status="held"))] == ["路演一"]
    assert [e.name for e in events.list_events(staff, events.EventFilter(type="roadshow"))] == ["路演一"]
    assert [e.name for e in events.list_events(staff, events.EventFilter(year=2026))] == ["对接二"]


def test_lists_invitations_and_check_in(staff: User, default_chains: list[Chain], make_org: Callable[..., Any],
                                        make_posting: Callable[..., Any]) -> None:
    event = events.create_event(event_data(default_chains), staff)
    result, draft = make_posting("result"), make_posting("result", status="draft")
    company = make_org(kind="company")
    added = events.add_to_lists(event.id, {"result_ids": [str(result.id), str(draft.id)],
                                           "org_ids": [str(company.id), "999999"]}, staff)
    assert added == (1, 1)  # drafts are not presented; unknown organizations are skipped
    assert events.add_to_lists(event.id, {"result_ids": [result.id], "org_ids": [company.id]}, staff) == (0, 0)
    invitation = events.check_in(event.id, company.id, staff)
    assert invitation.status == "attended" and invitation.checked_in_at is not None
    with pytest.raises(Conflict):
        events.uninvite(event.id, company.id, staff)  # attended organizations stay on the list
    events.set_invitation_status(event.id, company.id, "registered", staff)
    assert db.session.get(Invitation, invitation.id).checked_in_at is None
    events.uninvite(event.id, company.id, staff)
    events.remove_presented(event.id, result.id, staff)
    db.session.refresh(event)
    assert event.invitations == [] and event.presentations == []
    with pytest.raises(NotFound):
        events.remove_presented(event.id, result.id, staff)
    assert {"update_lists", "invitation_status", "uninvite", "unpresent_result"} <= set(audit_actions())


def test_bad_invitation_status_is_refused(staff: User, default_chains: list[Chain],
                                          make_org: Callable[..., Any]) -> None:
    event = events.create_event(event_data(default_chains), staff)
    company = make_org(kind="company")
    events.add_to_lists(event.id, {"org_ids": [company.id]}, staff)
    with pytest.raises(Conflict):
        events.set_invitation_status(event.id, company.id, "vip", staff)


def test_planning_prefers_needs_no_earlier_event_covered(staff: User, default_chains: list[Chain],
                                                         make_user: Callable[..., User],
                                                         make_posting: Callable[..., Any]) -> None:
    result = make_posting("result")
    old_firm, new_firm = make_user("company"), make_user("company")
    make_posting("need", owner=old_firm)
    make_posting("need", owner=new_firm)
    earlier = events.create_event(event_data(default_chains, starts_at="2025-01-10T09:00"), staff)
    events.add_to_lists(earlier.id, {"org_ids": [old_firm.org_id]}, staff)
    cancelled = events.create_event(event_data(default_chains, starts_at="2025-02-10T09:00"), staff)
    events.add_to_lists(cancelled.id, {"org_ids": [new_firm.org_id]}, staff)
    events.set_event_status(cancelled.id, "cancelled", staff)  # a cancelled event covers nobody
    event = events.create_event(event_data(default_chains), staff)

    found = agenda_planning.propose(event.id, staff)
    companies = {p.target.id: p for p in found.companies}
    assert [p.target.id for p in found.companies] == [new_firm.org_id, old_firm.org_id]
    assert companies[old_firm.org_id].covered and not companies[new_firm.org_id].covered
    assert companies[old_firm.org_id].score == pytest.approx(companies[new_firm.org_id].score * 0.5)
    assert [p.target.id for p in found.results] == [result.id]
    assert found.results[0].score == pytest.approx(found.results[0].raw_score)  # best need is the uncovered one
    assert (found.needs_considered, found.needs_covered) == (2, 1)


def test_accepting_proposals_keeps_scores(staff: User, default_chains: list[Chain], make_user: Callable[..., User],
                                          make_posting: Callable[..., Any]) -> None:
    result = make_posting("result")
    firm = make_user("company")
    make_posting("need", owner=firm)
    event = events.create_event(event_data(default_chains), staff)
    agenda_planning.accept_proposals(event.id, {"result_ids": [result.id], "org_ids": [firm.org_id]}, staff)
    db.session.refresh(event)
    assert event.presentations[0].score > 0 and event.invitations[0].score > 0
    found = agenda_planning.propose(event.id, staff)
    assert found.results[0].chosen and found.companies[0].chosen
