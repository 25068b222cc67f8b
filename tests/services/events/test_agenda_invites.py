"""Issue 7, defect 8: the agenda invites whom it schedules (so they are at 签到 check-in) and names who it left out."""
from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Event, User
from matchmaker.services.events import agenda as agenda_planning
from tests.conftest import login


def test_every_organization_with_a_meeting_is_invited(planned: Event, staff: User) -> None:
    invited_before = {i.org_id for i in planned.invitations}
    universities = {p.result.org_id for p in planned.presentations}
    assert not universities & invited_before  # the results' owners were never invited
    summary = agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    db.session.refresh(planned)
    in_meetings = {org for m in planned.meetings for org in (m.result.org_id, m.company_id)}
    invited = {i.org_id for i in planned.invitations}
    assert in_meetings <= invited
    assert set(summary.invited) == {i.org.name for i in planned.invitations if i.org_id not in invited_before}
    assert summary.invited and all(i.status == "invited" for i in planned.invitations if i.org_id in universities)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "build_agenda")).one()
    assert sorted(entry.changes["invited_org_ids"]["after"]) == sorted(invited - invited_before)


def test_a_rebuild_invites_nobody_twice(planned: Event, staff: User) -> None:
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    again = agenda_planning.build_agenda(planned.id, keep_existing=True, actor=staff)
    db.session.refresh(planned)
    assert again.invited == ()
    assert len({i.org_id for i in planned.invitations}) == len(planned.invitations)


def test_unplaced_candidates_are_named(planned: Event, staff: User) -> None:
    summary = agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    assert summary.unscheduled == len(summary.unplaced) > 0
    db.session.refresh(planned)
    results = {p.result.org.name: p.result.title for p in planned.presentations}
    firms = {i.org.name for i in planned.invitations}
    for line in summary.unplaced:
        left, _sep, rest = line.partition(" × ")
        assert left in results and results[left] in rest
        assert any(rest.startswith(name + "（") for name in firms), line


def test_the_agenda_page_reports_names_and_check_in_lists_everyone(client: FlaskClient, planned: Event,
                                                                     staff: User) -> None:
    login(client, staff)
    page = client.post(f"/events/{planned.id}/agenda/build", data={"mode": "discard"},
                       follow_redirects=True).get_data(as_text=True)
    assert "未能安排：" in page and "有洽谈的单位已加入邀请名单" in page
    db.session.refresh(planned)
    checkin = client.get(f"/events/{planned.id}/checkin").get_data(as_text=True)
    for m in planned.meetings:
        assert m.result.org.name in checkin and m.company.name in checkin
