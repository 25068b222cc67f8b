"""The 1:1 agenda: building from candidate pairs, persistence, hand moves and removals, export and demo data."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, Event, Intent, Meeting, User
from matchmaker.services.demo import deals as demo_deals
from matchmaker.services.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import events


def assert_valid(event: Event) -> None:
    """No organization in two places at once, no table used twice, caps and room respected."""
    db.session.refresh(event)
    seats = Counter((m.slot, m.table_no) for m in event.meetings)
    assert max(seats.values(), default=1) == 1
    busy = Counter((m.slot, org) for m in event.meetings for org in (m.result.org_id, m.company_id))
    assert max(busy.values(), default=1) == 1
    per_org = Counter(org for m in event.meetings for org in (m.result.org_id, m.company_id))
    assert max(per_org.values(), default=0) <= event.meeting_cap
    assert all(0 <= m.slot < event.slot_count and 1 <= m.table_no <= event.table_count for m in event.meetings)


def test_candidates_are_presented_results_times_invited_needs(planned: Event) -> None:
    pairs = agenda_planning.candidate_pairs(planned)
    assert len(pairs) == 9
    assert all(p.score >= agenda_planning.AGENDA_MIN_SCORE for p in pairs)


def test_build_fills_the_room_without_double_booking(planned: Event, staff: User) -> None:
    summary = agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    assert summary.placed == 4 and summary.kept == 0  # 2 slots × 2 tables
    assert_valid(planned)
    assert all(m.need_id is not None and m.score > 0 for m in planned.meetings)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "build_agenda")).one()
    assert entry.changes["meetings"] == {"before": 0, "after": 4}


def test_moves_are_validated_and_never_double_book(planned: Event, staff: User) -> None:
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    first, *others = sorted(planned.meetings, key=lambda m: (m.slot, m.table_no))
    same_slot = next(m for m in others if m.slot == first.slot)
    with pytest.raises(Conflict) as caught:  # the other table of the same slot is taken
        agenda_planning.move_meeting(first.id, {"slot": first.slot, "table_no": same_slot.table_no}, staff)
    assert caught.value.code == "table_busy" and "桌" in str(caught.value.message)
    with pytest.raises(Conflict) as caught:  # the other slot is full
        agenda_planning.move_meeting(first.id, {"slot": 1 - first.slot, "table_no": 1}, staff)
    with pytest.raises(ValidationFailed):
        agenda_planning.move_meeting(first.id, {"slot": 7, "table_no": 1}, staff)
    assert_valid(planned)
    agenda_planning.remove_meeting(same_slot.id, staff)
    moved = agenda_planning.move_meeting(first.id, {"slot": first.slot, "table_no": same_slot.table_no}, staff)
    assert moved.table_no == same_slot.table_no
    assert_valid(planned)
    assert {"remove_meeting", "move_meeting"} <= set(db.session.scalars(select(AuditEntry.action)))


def test_moving_next_to_a_busy_organization_names_it(planned: Event, staff: User) -> None:
    a, b = planned.presentations[0].result, planned.presentations[1].result
    firm = planned.invitations[0].org
    m1 = Meeting(event_id=planned.id, result_id=a.id, company_id=firm.id, slot=0, table_no=1, score=0.5)
    m2 = Meeting(event_id=planned.id, result_id=b.id, company_id=firm.id, slot=1, table_no=1, score=0.4)
    db.session.add_all([m1, m2])
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        agenda_planning.move_meeting(m2.id, {"slot": 0, "table_no": 2}, staff)
    assert caught.value.code == "org_busy" and firm.name in str(caught.value.message)
    assert db.session.get(Meeting, m2.id).slot == 1


def test_rebuild_keeping_hand_edits(planned: Event, staff: User) -> None:
    a = planned.presentations[0].result
    firm = planned.invitations[2].org
    hand = Meeting(event_id=planned.id, result_id=a.id, company_id=firm.id, slot=1, table_no=2, score=0.3)
    db.session.add(hand)
    db.session.commit()
    summary = agenda_planning.build_agenda(planned.id, keep_existing=True, actor=staff)
    assert summary.kept == 1 and summary.placed == 3
    kept = db.session.get(Meeting, hand.id)
    assert (kept.slot, kept.table_no) == (1, 2)
    assert_valid(planned)
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    assert db.session.get(Meeting, hand.id) is None  # discarded: planned again from scratch
    assert_valid(planned)


def test_meetings_with_an_outcome_survive_a_fresh_rebuild(planned: Event, staff: User) -> None:
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    first = planned.meetings[0]
    first.outcome = "follow_up"
    db.session.commit()
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    assert db.session.get(Meeting, first.id) is not None
    assert_valid(planned)


def test_meeting_linked_to_an_intent_cannot_be_removed(planned: Event, staff: User) -> None:
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    m = planned.meetings[0]
    db.session.add(Intent(result_id=m.result_id, company_id=m.company_id, meeting_id=m.id,
                          logged_on=planned.starts_at.date(), last_activity_on=planned.starts_at.date()))
    db.session.commit()
    with pytest.raises(Conflict):
        agenda_planning.remove_meeting(m.id, staff)


def test_agenda_is_frozen_once_held(planned: Event, staff: User, make_user: Callable[..., User]) -> None:
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    with pytest.raises(PermissionDenied):
        agenda_planning.build_agenda(planned.id, keep_existing=True, actor=make_user("researcher"))
    events.set_event_status(planned.id, "held", staff)
    with pytest.raises(Conflict):
        agenda_planning.build_agenda(planned.id, keep_existing=True, actor=staff)
    with pytest.raises(Conflict):
        agenda_planning.move_meeting(planned.meetings[0].id, {"slot": 0, "table_no": 1}, staff)


def test_grid_and_excel_export(planned: Event, staff: User, app: Any) -> None:
    from matchmaker.web.events.export import agenda_workbook

    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    grid = events.agenda(planned.id, staff)
    assert len(grid.times) == 2 and grid.tables == [1, 2] and len(grid.cells) == 4
    assert grid.times[1].strftime("%H:%M") == "09:20"
    assert len(grid.by_org) == len({o for m in grid.cells.values() for o in (m.result.org_id, m.company_id)})
    assert all(len(ms) <= planned.meeting_cap for _org, ms in grid.by_org)
    with app.test_request_context():
        data = agenda_workbook(grid)
    path = Path(app.instance_path) / "agenda.xlsx"
    path.write_bytes(data)
    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "桌号", "科技成果") and len(rows) == 5
    assert len(list(book.worksheets[1].iter_rows(values_only=True))) == 1 + 8
    book.close()


def test_demo_loader_is_tolerant_and_maps_slots(app: Any, tmp_path: Path, default_chains: list[Chain],
                                                make_org: Callable[..., Any], make_posting: Callable[..., Any]) -> None:
    assert demo_deals.seed(tmp_path, {}, {}, {}, {}) == {"events": 0, "invitations": 0, "meetings": 0,
                                                         "intents": 0, "transfers": 0}
    result, need = make_posting("result"), make_posting("need")
    firm = need.org
    (tmp_path / "events.json").write_text(
        '[{"key": "e1", "name": "演示对接会", "type": "matchmaking", "starts_at": "2026-03-18T09:00", "venue": "",'
        f' "chains": ["{default_chains[0].code}"], "capacity": 50, "status": "held", "presented": ["r"],'
        ' "invited": [{"org": "f", "status": "attended"}], "meetings": [{"result": "r", "need": "n",'
        ' "company": "f", "slot": "2026-03-18T11:00", "table": 7, "outcome": "intent"}]}]', encoding="utf-8")
    (tmp_path / "intents.json").write_text(
        '[{"key": "i1", "result": "r", "company": "f", "need": null, "event": "e1", "date": "2026-03-18",'
        ' "mode": "license", "amount_wan": 30, "status": "negotiating", "notes": [{"date": "2026-04-02",'
        ' "text": "电话沟通"}]}]', encoding="utf-8")
    (tmp_path / "transfers.json").write_text(
        '[{"key": "t1", "result": "r", "buyer": "f", "intent": "i1", "contract_number": "2026-ZB-01",'
        ' "contract_type": "license", "amount_wan": 30, "signed_on": "2026-05-01"}]', encoding="utf-8")
    counts = demo_deals.seed(tmp_path, {"f": firm}, {"r": result}, {"n": need}, {})
    db.session.commit()
    assert counts == {"events": 1, "invitations": 1, "meetings": 1, "intents": 1, "transfers": 1}
    meeting = db.session.scalars(select(Meeting)).one()
    assert (meeting.slot, meeting.table_no) == (6, 7)  # 11:00 is 120 minutes after 09:00 in 20-minute slots
    assert meeting.event.slot_count >= 7 and meeting.event.table_count >= 7
    intent = db.session.scalars(select(Intent)).one()
    assert intent.last_activity_on.isoformat() == "2026-04-02"
    assert result.status == "transferred"


def test_keeping_a_double_booked_agenda_names_the_clash(planned: Event, staff: User) -> None:
    a, b = planned.presentations[0].result, planned.presentations[1].result
    firm = planned.invitations[0].org
    db.session.add_all([Meeting(event_id=planned.id, result_id=a.id, company_id=firm.id, slot=0, table_no=1),
                        Meeting(event_id=planned.id, result_id=b.id, company_id=firm.id, slot=0, table_no=2)])
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        agenda_planning.build_agenda(planned.id, keep_existing=True, actor=staff)
    assert firm.name in str(caught.value.message) and "09:00" in str(caught.value.message)
    agenda_planning.build_agenda(planned.id, keep_existing=False, actor=staff)
    assert_valid(planned)
