"""An invited organization hears about it: its active members get a notification (e-mailed by default), whether
staff put it on the list or the agenda builder did, and only once."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, Notification, OutgoingMail, User
from matchmaker.services.events import agenda, events
from matchmaker.services.notify import notifications
from tests.services.events.test_events import event_data


def _notices(user: User) -> list[str]:
    return [notifications.text(n) for n in db.session.scalars(select(Notification).where(
        Notification.recipient_id == user.id, Notification.kind == "event_invitation"))]


def test_staff_invitations_tell_the_members(staff: User, default_chains: list[Chain],
                                            make_user: Callable[..., User]) -> None:
    firm = make_user("company", email="firm@example.com")
    colleague = make_user("company", org=firm.org, email="colleague@example.com")
    joining = make_user("company", org=firm.org, membership="pending")
    event = events.create_event(event_data(default_chains, venue="淄博科技大市场"), staff)
    events.add_to_lists(event.id, {"org_ids": [firm.org_id]}, staff)
    events.add_to_lists(event.id, {"org_ids": [firm.org_id]}, staff)  # already listed: nobody told twice
    for member in (firm, colleague):
        [notice] = _notices(member)
        assert firm.org.name in notice and event.name in notice and "淄博科技大市场" in notice
    assert _notices(joining) == []  # not a member yet
    assert sorted(db.session.scalars(select(OutgoingMail.to))) == ["colleague@example.com", "firm@example.com"]


def test_the_agenda_builder_tells_whom_it_invites(planned: Event, staff: User) -> None:
    before = db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "event_invitation"))
    assert before == len(planned.invitations)  # add_to_lists told each firm it invited (one member each)
    summary = agenda.build_agenda(planned.id, keep_existing=False, actor=staff)
    after = db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "event_invitation"))
    assert summary.invited and after - before >= len(summary.invited)
