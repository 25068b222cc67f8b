"""permissions.actions_for / site_actions: the sets pages show buttons from, written out by hand per role and state.

tests/web/test_access_matrix.py checks that pages and requests agree with these sets; this file pins the sets.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Intent, Invitation, Meeting, Organization, OutgoingMail, User
from matchmaker.services.permissions import actions_for, site_actions

READ = {"see_contact", "see_duplicate", "judge_suggestions"}
"""What the owner and staff get on any posting they may edit."""
BY_STATUS = {
    "draft": {"edit", "submit"}, "pending": {"edit", "withdraw"}, "published": {"edit", "withdraw"},
    "rejected": {"edit", "submit"}, "withdrawn": {"edit", "submit"}, "transferred": set(),
}


def _add(row: Any) -> Any:
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize("kind", ["result", "need"])
@pytest.mark.parametrize("status", list(BY_STATUS))
def test_posting_actions(kind: str, status: str, make_user: Callable[..., User],
                         make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher" if kind == "result" else "company")
    posting = make_posting(kind, owner=owner, status=status)
    staff, admin = make_user("staff"), make_user("admin")
    assert actions_for(owner, posting) == READ | BY_STATUS[status]
    review = {"review"} if status == "pending" else set()
    assert actions_for(staff, posting) == READ | BY_STATUS[status] | review
    assert actions_for(admin, posting) == READ | BY_STATUS[status] | review
    for other in (None, make_user("researcher"), make_user("company"), make_user("researcher", disabled=True)):
        assert actions_for(other, posting) == frozenset(), other


def test_an_owner_without_standing_may_not_submit(make_user: Callable[..., User],
                                                  make_org: Callable[..., Organization],
                                                  make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher", org=make_org(kind="university", status="pending"))
    assert actions_for(owner, make_posting("result", owner=owner, status="draft")) == READ | {"edit"}


def _event(status: str, org: Organization, other: Organization, result_id: int) -> Event:
    return _add(Event(name="对接会", type="matchmaking", starts_at=datetime(2025, 5, 1, 9), status=status,
                      chain_ids=[], presentations=[EventResult(result_id=result_id)],
                      invitations=[Invitation(org_id=org.id, status="invited"),
                                   Invitation(org_id=other.id, status="attended")]))


EDITABLE = {"view", "export_agenda", "edit", "plan", "remove_result", "set_invitation_status", "checkin",
            "record_outcome"}
EVENT_ACTIONS = {
    "planned": EDITABLE | {"build_agenda", "move_meeting", "remove_meeting", "mark_held", "cancel"},
    "held": EDITABLE,
    "cancelled": {"view", "export_agenda"},
}


@pytest.mark.parametrize("status", list(EVENT_ACTIONS))
def test_event_and_invitation_actions(status: str, make_user: Callable[..., User],
                                      make_org: Callable[..., Organization],
                                      make_posting: Callable[..., Any]) -> None:
    staff = make_user("staff")
    event = _event(status, make_org(), make_org(), make_posting("result").id)
    invited, attended = event.invitations
    assert actions_for(staff, event) == EVENT_ACTIONS[status]
    open_ = status != "cancelled"
    assert actions_for(staff, invited) == ({"set_status", "check_in", "remove"} if open_ else set())
    assert actions_for(staff, attended) == ({"set_status", "undo_check_in"} if open_ else set())
    for other in (None, make_user("researcher"), make_user("company")):
        assert actions_for(other, event) == actions_for(other, invited) == frozenset()


def test_an_invitation_with_meetings_stays(make_user: Callable[..., User], make_org: Callable[..., Organization],
                                          make_posting: Callable[..., Any]) -> None:
    result = make_posting("result")
    event = _event("planned", make_org(), make_org(), result.id)
    invited = event.invitations[0]
    _add(Meeting(event_id=event.id, result_id=result.id, company_id=invited.org_id, slot=0, table_no=1))
    assert "remove" not in actions_for(make_user("staff"), invited)


@pytest.mark.parametrize(("status", "expected"), [
    ("open", {"edit", "add_note", "set_status"}),
    ("negotiating", {"edit", "add_note", "set_status", "record_transfer"}),
    ("signed", {"edit", "add_note", "record_transfer"}),
    ("dropped", {"edit", "add_note"}),
])
def test_intent_actions(status: str, expected: set[str], make_user: Callable[..., User],
                        make_org: Callable[..., Organization], make_posting: Callable[..., Any]) -> None:
    intent = _add(Intent(result_id=make_posting("result").id, company_id=make_org().id, status=status,
                         logged_on=date(2025, 1, 1), last_activity_on=date(2025, 1, 1)))
    assert actions_for(make_user("staff"), intent) == expected
    assert actions_for(make_user("company"), intent) == frozenset()


def test_organization_actions(make_user: Callable[..., User], make_org: Callable[..., Organization]) -> None:
    manager = make_user("company", member_role="manager")
    member = make_user("company", org=manager.org)
    org = manager.org
    assert actions_for(manager, org) == {"edit_profile", "see_members"}
    assert actions_for(member, org) == actions_for(None, org) == actions_for(make_user("company"), org) == set()
    assert actions_for(make_user("staff"), org) == {"edit", "edit_profile", "see_members", "see_private",
                                                    "set_locality"}


@pytest.mark.parametrize(("status", "retry"), [("queued", True), ("failed", True), ("sent", False)])
def test_mail_actions(status: str, retry: bool, make_user: Callable[..., User],
                      make_org: Callable[..., Organization]) -> None:
    mail = _add(OutgoingMail(to="x@example.com", template="notification", subject="s", text="t", html="h",
                             language="zh_Hans_CN", status=status))
    admin = make_user("admin", org=make_org(kind="bureau"))
    assert actions_for(admin, mail) == ({"retry"} if retry else set())
    assert actions_for(make_user("staff"), mail) == frozenset()


def test_chain_actions(make_user: Callable[..., User], default_chains: list[Any]) -> None:
    chain = default_chains[0]
    assert actions_for(make_user("staff"), chain) == {"edit"}
    assert actions_for(make_user("researcher"), chain) == actions_for(None, chain) == frozenset()


def test_unknown_records_have_no_rules(app: Any) -> None:
    with pytest.raises(TypeError):
        actions_for(None, object())


BASE = {"notifications", "my_contacts"}
STAFF = {"staff_menu", "audit_log", "create_org", "my_results", "my_needs", "post_result", "post_need"}


@pytest.mark.parametrize(("role", "expected"), [
    ("researcher", BASE | {"my_results", "post_result", "my_events"}),
    ("company", BASE | {"my_needs", "post_need", "my_events"}),
    ("staff", BASE | STAFF | {"my_events"}),  # the factory makes staff members of the bureau
    ("admin", BASE | STAFF | {"admin_menu"}),  # no organization: no 我的活动
])
def test_site_actions(role: str, expected: set[str], make_user: Callable[..., User]) -> None:
    assert site_actions(make_user(role)) == expected


def test_site_actions_of_visitors_and_members_without_standing(make_user: Callable[..., User],
                                                               make_org: Callable[..., Organization]) -> None:
    assert site_actions(None) == site_actions(make_user("staff", disabled=True)) == frozenset()
    unverified = make_user("researcher", org=make_org(kind="university", status="pending"))
    assert site_actions(unverified) == BASE | {"my_results", "my_events"}  # lists own drafts, may not post yet
