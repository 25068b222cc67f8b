"""合作意向: intents logged after meetings (or otherwise), their status, follow-up notes and staleness."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from matchmaker.extensions import db
from matchmaker.models import Event, Intent, IntentNote, Meeting, Need, Organization, Result, User
from matchmaker.models.event import MEETING_OUTCOMES
from matchmaker.models.intent import INTENT_STATUSES, INTENT_TRANSITIONS
from matchmaker.models.posting import MODES, PUBLIC_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.notify.notifications import notify_all
from matchmaker.services.permissions import event_editable, require_staff

TRANSITIONS = INTENT_TRANSITIONS  # the table lives with the model, where permissions read it too
ACTIVE = ("open", "negotiating")


def ref_field(errors: FieldErrors, data: dict[str, Any], field: str, model: Any, *, required: bool) -> Any:
    """The row an id field points at, or a field error."""
    raw = str(data.get(field) or "").strip()
    if not raw:
        if required:
            errors.add(field, _l("请选择一项。"))
        return None
    row = db.session.get(model, int(raw)) if raw.isdigit() else None
    if row is None:
        errors.add(field, _l("找不到所选记录。"))
    return row


def clean_intent(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an intent's fields and their consistency (company kind, need of that company, meeting)."""
    errors = FieldErrors()
    result = ref_field(errors, data, "result_id", Result, required=True)
    company = ref_field(errors, data, "company_id", Organization, required=True)
    need = ref_field(errors, data, "need_id", Need, required=False)
    event = ref_field(errors, data, "event_id", Event, required=False)
    meeting = ref_field(errors, data, "meeting_id", Meeting, required=False)
    if company is not None and company.kind != "company":
        errors.add("company_id", _l("意向方应为企业。"))
    if need is not None and company is not None and need.org_id != company.id:
        errors.add("need_id", _l("所选需求不是该企业发布的。"))
    if meeting is not None and (event is None or meeting.event_id != event.id):
        errors.add("meeting_id", _l("该洽谈不属于所选活动。"))
    clean = {
        "result_id": result.id if result else None, "company_id": company.id if company else None,
        "need_id": need.id if need else None, "event_id": event.id if event else None,
        "meeting_id": meeting.id if meeting else None,
        "logged_on": fields.day(errors, data, "logged_on", required=True, past=True),
        "mode": fields.choice(errors, data, "mode", MODES, required=False),
        "amount_wan": fields.amount(errors, data, "amount_wan"),
    }
    errors.raise_if_any()
    return clean


def create_intent(data: dict[str, Any], actor: User | None) -> Intent:
    """Log a new intent (status open); from a meeting, the meeting's outcome becomes 'intent'."""
    user = require_staff(actor)
    clean = clean_intent(data)
    intent = Intent(**clean, status="open", last_activity_on=clean["logged_on"])
    db.session.add(intent)
    audit.record(user, "create", intent, {k: {"after": audit._plain(v)} for k, v in clean.items()})
    if intent.meeting_id:
        meeting = db.session.get(Meeting, intent.meeting_id)
        assert meeting is not None
        _set_outcome(meeting, "intent", user)
    db.session.commit()
    return intent


def update_intent(intent_id: int, data: dict[str, Any], actor: User | None) -> Intent:
    """Correct an intent's details (its status changes go through set_intent_status)."""
    user = require_staff(actor)
    intent = get_intent(intent_id, user)
    clean = clean_intent(data)
    first_note = min((n.noted_on for n in intent.notes), default=None)
    if first_note is not None and clean["logged_on"] > first_note:
        errors = FieldErrors()
        errors.add("logged_on", _l("登记日期不能晚于最早的跟进记录（%(d)s）。", d=first_note.isoformat()))
        errors.raise_if_any()
    changes = audit.apply_changes(intent, clean)
    if changes:
        audit.record(user, "update", intent, changes)
    db.session.commit()
    return intent


def set_intent_status(intent_id: int, status: str, actor: User | None, today: date | None = None) -> Intent:
    """open → negotiating → signed | dropped (open may also be dropped)."""
    user = require_staff(actor)
    intent = get_intent(intent_id, user)
    change_status(intent, status, user, today)
    db.session.commit()
    return intent


def change_status(intent: Intent, status: str, user: User, today: date | None = None, note: str = "") -> None:
    """Apply one validated transition inside the caller's transaction."""
    from matchmaker import labels

    if status not in INTENT_STATUSES or status not in TRANSITIONS[intent.status]:
        raise Conflict(_l("合作意向不能从“%(a)s”改为“%(b)s”。", a=labels.label("intent_status", intent.status),
                          b=labels.label("intent_status", status)), code="bad_transition")
    audit.record(user, "set_status", intent, {"status": {"before": intent.status, "after": status}}, note=note)
    intent.status = status
    intent.last_activity_on = max(intent.last_activity_on, today or fields.today())
    notify_all(_parties(intent), "intent_status", "intent_status",
               {"title": intent.result.title, "status": labels.label("intent_status", status)})


def _parties(intent: Intent) -> list[User]:
    """Who hears about an intent: the result's owner and, for one opened by a contact request, its requester."""
    people = [intent.result.owner]
    if intent.contact_request is not None:
        people.append(intent.contact_request.requester)
    return people


def add_note(intent_id: int, data: dict[str, Any], actor: User | None) -> IntentNote:
    """A dated follow-up note; it moves the intent's last activity forward."""
    user = require_staff(actor)
    intent = get_intent(intent_id, user)
    errors = FieldErrors()
    noted_on = fields.day(errors, data, "noted_on", required=True, past=True)
    if noted_on is not None and noted_on < intent.logged_on:
        errors.add("noted_on", _l("跟进日期不能早于意向登记日期（%(d)s）。", d=intent.logged_on.isoformat()))
    text = fields.text(errors, data, "text", required=True, max_len=2000)
    errors.raise_if_any()
    assert noted_on is not None
    note = IntentNote(noted_on=noted_on, text=text, author_id=user.id)
    intent.notes.append(note)
    audit.record(user, "add_note", intent, {"notes": {"after": [noted_on.isoformat()]}}, note=text)
    intent.last_activity_on = max(intent.last_activity_on, noted_on)
    db.session.commit()
    return note


def get_intent(intent_id: int, actor: User | None) -> Intent:
    require_staff(actor)
    return get_or_not_found(Intent, intent_id, _l("找不到该合作意向。"))


def stale_before(today: date | None) -> date:
    """Intents with no activity since before this day are stale."""
    return (today or fields.today()) - timedelta(days=int(current_app.config["STALE_INTENT_DAYS"]))


def stale_condition(today: date | None = None) -> Any:
    """SQL for "open or negotiating, with no activity for STALE_INTENT_DAYS" (lists, dashboard, reminder)."""
    return and_(Intent.status.in_(ACTIVE), Intent.last_activity_on < stale_before(today))


def stale_intents(actor: User | None, today: date | None = None) -> list[Intent]:
    """Open or negotiating intents with no activity for STALE_INTENT_DAYS; oldest activity first."""
    require_staff(actor)
    stmt = select(Intent).where(stale_condition(today))
    return list(db.session.scalars(stmt.order_by(Intent.last_activity_on, Intent.id)))


def is_stale(intent: Intent, today: date | None = None) -> bool:
    return intent.status in ACTIVE and intent.last_activity_on < stale_before(today)


@dataclass(frozen=True)
class IntentFilter:
    status: str = ""
    event_id: int | None = None
    stale: bool = False
    year: int | None = None


def list_intents(actor: User | None, flt: IntentFilter = IntentFilter(), today: date | None = None) -> list[Intent]:
    """Intents newest first, filtered by status, event, year or staleness."""
    require_staff(actor)
    stmt = select(Intent).order_by(Intent.logged_on.desc(), Intent.id.desc())
    if flt.status in INTENT_STATUSES:
        stmt = stmt.where(Intent.status == flt.status)
    if flt.event_id:
        stmt = stmt.where(Intent.event_id == flt.event_id)
    if flt.year:
        stmt = stmt.where(Intent.logged_on >= date(flt.year, 1, 1), Intent.logged_on <= date(flt.year, 12, 31))
    if flt.stale:
        stmt = stmt.where(stale_condition(today))
    return list(db.session.scalars(stmt))


def _set_outcome(meeting: Meeting, outcome: str, user: User) -> None:
    if meeting.outcome != outcome:
        audit.record(user, "meeting_outcome", meeting, {"outcome": {"before": meeting.outcome, "after": outcome}})
        meeting.outcome = outcome


def set_meeting_outcome(meeting_id: int, outcome: str, actor: User | None) -> Meeting:
    """Record how a 1:1 meeting went; 'intent' is recorded when the intent itself is saved."""
    user = require_staff(actor)
    meeting = get_or_not_found(Meeting, meeting_id, _l("找不到该洽谈。"))
    if outcome not in MEETING_OUTCOMES:
        raise Conflict(_l("不是有效的选项。"), code="bad_outcome")
    if not event_editable(meeting.event):
        raise Conflict(_l("已取消的活动不能再修改。"), code="bad_status")
    if outcome != "intent":
        _set_outcome(meeting, outcome, user)
        db.session.commit()
    return meeting


def get_meeting(meeting_id: int, actor: User | None) -> Meeting:
    """The 1:1 meeting an intent is logged from (staff only)."""
    require_staff(actor)
    return get_or_not_found(Meeting, meeting_id, _l("找不到该洽谈。"))


@dataclass(frozen=True)
class DealRecords:
    """What the intent and transfer forms may refer to (web/deals/choices.py turns them into choices)."""
    results: list[Result]
    companies: list[Organization]
    buyers: list[Organization]
    needs: list[Need]
    events: list[Event]
    intents: list[Intent]


def deal_records(actor: User | None) -> DealRecords:
    """Public results and needs, companies, buyers (any organization but a bureau), events not cancelled and the
    intents a transfer may close (active or signed), each in the order the forms list them."""
    require_staff(actor)
    orgs = list(db.session.scalars(select(Organization).order_by(Organization.name)))
    return DealRecords(
        results=list(db.session.scalars(select(Result).where(Result.status.in_(PUBLIC_STATUSES))
                                        .order_by(Result.title))),
        companies=[o for o in orgs if o.kind == "company"],
        buyers=[o for o in orgs if o.kind != "bureau"],
        needs=list(db.session.scalars(select(Need).where(Need.status.in_(PUBLIC_STATUSES)).order_by(Need.title))),
        events=list(db.session.scalars(select(Event).where(Event.status != "cancelled")
                                       .order_by(Event.starts_at.desc()))),
        intents=list(db.session.scalars(select(Intent).where(Intent.status.in_(ACTIVE + ("signed",)))
                                        .order_by(Intent.logged_on.desc()))),
    )
