"""对接活动: create and edit events, their status, presented results and invitations (check-in)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker import labels
from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Invitation, Meeting, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.models.event import EVENT_STATUSES, EVENT_TRANSITIONS, EVENT_TYPES, PARTICIPANT_STATUSES
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors, NotFound
from matchmaker.services.events import invitations, registrations
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.permissions import STAFF_SET_STATUSES, event_editable, invitation_removable, require_staff

TRANSITIONS = EVENT_TRANSITIONS  # the table lives with the model, where permissions read it too
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _moment(errors: FieldErrors, data: dict[str, Any], field: str) -> datetime | None:
    raw = data.get(field)
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None, second=0, microsecond=0)
    value = str(raw or "").strip()
    if not value:
        errors.add(field, _l("此项为必填项。"))
        return None
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    errors.add(field, _l("时间格式应为 YYYY-MM-DD HH:MM。"))
    return None


def _chain_ids(errors: FieldErrors, data: dict[str, Any]) -> list[int]:
    raw = data.get("chain_ids") or []
    items = fields.split_list(raw) if isinstance(raw, str) else [str(v).strip() for v in raw]
    ids = list(dict.fromkeys(int(v) for v in items if v.isdigit()))
    known = set(db.session.scalars(select(Chain.id).where(Chain.id.in_(ids)))) if ids else set()
    if len(ids) != len(items) or set(ids) - known:
        errors.add("chain_ids", _l("不是有效的选项。"))
    elif not ids:
        errors.add("chain_ids", _l("请至少选择一项。"))
    return [i for i in ids if i in known]


def _flag(raw: Any) -> bool:
    return raw is True or str(raw or "").strip().lower() in ("1", "true", "y", "yes", "on")


def clean_event(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an event's fields; raises ValidationFailed with every problem at once."""
    errors = FieldErrors()

    def number(field: str, low: int, high: int, default: int) -> int:
        value = fields.integer(errors, data, field, low=low, high=high)
        return default if value is None else value

    clean = {
        "name": fields.text(errors, data, "name", required=True, min_len=2, max_len=200),
        "type": fields.choice(errors, data, "type", EVENT_TYPES),
        "starts_at": _moment(errors, data, "starts_at"),
        "venue": fields.text(errors, data, "venue", max_len=200),
        "chain_ids": _chain_ids(errors, data),
        "capacity": fields.integer(errors, data, "capacity", low=1, high=100000),
        "description": fields.text(errors, data, "description", max_len=5000),
        "slot_minutes": number("slot_minutes", 5, 240, 20),
        "slot_count": number("slot_count", 1, 48, 6),
        "table_count": number("table_count", 1, 200, 5),
        "meeting_cap": number("meeting_cap", 1, 48, 3),
        "is_public": _flag(data.get("is_public")),
        "requires_approval": _flag(data.get("requires_approval")),
    }
    errors.raise_if_any()
    return clean


def create_event(data: dict[str, Any], actor: User | None) -> Event:
    """Staff plan a new event."""
    user = require_staff(actor)
    clean = clean_event(data)
    event = Event(**clean, status="planned")
    db.session.add(event)
    audit.record(user, "create", event, {k: {"after": audit._plain(v)} for k, v in clean.items()})
    db.session.commit()
    return event


def update_event(event_id: int, data: dict[str, Any], actor: User | None) -> Event:
    """Staff correct an event (not once it is cancelled)."""
    user = require_staff(actor)
    event = get_event(event_id, user)
    if not event_editable(event):
        raise Conflict(_l("已取消的活动不能再修改。"), code="bad_status")
    clean = clean_event(data)
    if event.status == "held" and clean["starts_at"].date() > fields.today():
        errors = FieldErrors()
        errors.add("starts_at", _l("活动已举办，日期不能改到今天之后。"))
        errors.raise_if_any()
    changes = audit.apply_changes(event, clean)
    if changes:
        audit.record(user, "update", event, changes)
    db.session.commit()
    return event


def set_event_status(event_id: int, status: str, actor: User | None) -> Event:
    """planned → held | cancelled; anything else is refused."""
    user = require_staff(actor)
    event = get_event(event_id, user)
    if status not in EVENT_STATUSES or status not in TRANSITIONS[event.status]:
        raise Conflict(_l("活动不能从“%(a)s”改为“%(b)s”。", a=_status_label(event.status),
                          b=_status_label(status)), code="bad_transition")
    if status == "held" and event.starts_at.date() > fields.today():
        raise Conflict(_l("尚未到活动日期（%(d)s），不能标记为已举办。", d=event.starts_at.date().isoformat()),
                       code="not_yet")
    told = registrations.tell_event_cancelled(event) if status == "cancelled" else 0
    audit.record(user, "set_status", event, {"status": {"before": event.status, "after": status}},
                 note=f"{told} organizations told" if told else "")
    event.status = status
    db.session.commit()
    return event


def _status_label(status: str) -> str:
    from matchmaker import labels

    return labels.label("event_status", status)


def get_event(event_id: int, actor: User | None) -> Event:
    require_staff(actor)
    return get_or_not_found(Event, event_id, _l("找不到该活动。"))


@dataclass(frozen=True)
class EventFilter:
    status: str = ""
    type: str = ""
    year: int | None = None


def list_events(actor: User | None, flt: EventFilter = EventFilter()) -> list[Event]:
    """Events newest first, optionally of one status, type or year."""
    require_staff(actor)
    stmt = select(Event).order_by(Event.starts_at.desc())
    if flt.status in EVENT_STATUSES:
        stmt = stmt.where(Event.status == flt.status)
    if flt.type in EVENT_TYPES:
        stmt = stmt.where(Event.type == flt.type)
    if flt.year:
        stmt = stmt.where(Event.starts_at >= datetime(flt.year, 1, 1), Event.starts_at < datetime(flt.year + 1, 1, 1))
    return list(db.session.scalars(stmt))


def _editable(event: Event) -> None:
    if not event_editable(event):
        raise Conflict(_l("已取消的活动不能再修改。"), code="bad_status")


def _ids(raw: Any) -> list[int]:
    items = raw if isinstance(raw, list | tuple | set) else fields.split_list(str(raw or ""))
    return list(dict.fromkeys(int(v) for v in items if str(v).strip().isdigit()))


def add_to_lists(event_id: int, data: dict[str, Any], actor: User | None,
                 scores: tuple[dict[int, float], dict[int, float]] | None = None) -> tuple[int, int]:
    """Add published results to present (data["result_ids"]) and organizations to invite (data["org_ids"]).

    Returns how many of each were new; ones already listed are skipped. `scores` are the proposals' scores.
    """
    user = require_staff(actor)
    event = get_event(event_id, user)
    _editable(event)
    result_scores, org_scores = scores or ({}, {})
    added_results = _present(event, _ids(data.get("result_ids")), result_scores)
    added_orgs = _invite(event, _ids(data.get("org_ids")), org_scores)
    if added_results or added_orgs:
        audit.record(user, "update_lists", event, {"result_ids": {"after": added_results},
                                                   "org_ids": {"after": added_orgs}})
    db.session.commit()
    return len(added_results), len(added_orgs)


def _present(event: Event, ids: list[int], scores: dict[int, float]) -> list[int]:
    have = {p.result_id for p in event.presentations}
    wanted = [i for i in ids if i not in have]
    found = set(db.session.scalars(select(Result.id).where(Result.id.in_(wanted),
                                                           Result.status.in_(PUBLIC_STATUSES)))) if wanted else set()
    position = max((p.position for p in event.presentations), default=-1)
    added = [i for i in wanted if i in found]
    for offset, rid in enumerate(added, start=1):
        event.presentations.append(EventResult(result_id=rid, position=position + offset, score=scores.get(rid, 0.0)))
    return added


def _invite(event: Event, ids: list[int], scores: dict[int, float]) -> list[int]:
    have = {i.org_id for i in event.invitations}
    wanted = [i for i in ids if i not in have]
    known = {o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(wanted)))} \
        if wanted else {}
    added = [i for i in wanted if i in known]
    for oid in added:
        event.invitations.append(Invitation(org_id=oid, status="invited", score=scores.get(oid, 0.0)))
    invitations.announce(event, (known[i] for i in added))
    return added


def remove_presented(event_id: int, result_id: int, actor: User | None) -> None:
    """Take a result off the presentation list (its meetings stay until the agenda is rebuilt)."""
    user = require_staff(actor)
    event = get_event(event_id, user)
    _editable(event)
    row = next((p for p in event.presentations if p.result_id == result_id), None)
    if row is None:
        raise NotFound(_l("该成果不在展示名单中。"))
    event.presentations.remove(row)
    audit.record(user, "unpresent_result", event, {"result_ids": {"before": [result_id]}})
    db.session.commit()


def _invitation(event: Event, org_id: int) -> Invitation:
    row = next((i for i in event.invitations if i.org_id == org_id), None)
    if row is None:
        raise NotFound(_l("该单位不在邀请名单中。"))
    return row


def uninvite(event_id: int, org_id: int, actor: User | None) -> None:
    """Withdraw an invitation, unless the organization attended or has meetings on the agenda."""
    user = require_staff(actor)
    event = get_event(event_id, user)
    _editable(event)
    row = _invitation(event, org_id)
    if not invitation_removable(row):
        raise Conflict(_l("该单位已签到，不能移出名单。") if row.status == "attended"
                       else _l("该单位已有洽谈安排，请先在日程中删除。"))
    freed = row.status in PARTICIPANT_STATUSES
    event.invitations.remove(row)
    audit.record(user, "uninvite", event, {"org_ids": {"before": [org_id]}})
    if freed:
        db.session.flush()  # the removed row no longer counts as a place
        registrations.promote_waitlist(event, user)
    db.session.commit()


def set_invitation_status(event_id: int, org_id: int, status: str, actor: User | None) -> Invitation:
    """invited / registered / attended; attended stamps the check-in time (undo goes back to registered)."""
    user = require_staff(actor)
    event = get_event(event_id, user)
    _editable(event)
    if status not in STAFF_SET_STATUSES:
        raise Conflict(_l("不是有效的选项。"), code="bad_status")
    row = _invitation(event, org_id)
    if row.status not in STAFF_SET_STATUSES:
        raise Conflict(_l("该单位的报名状态为“%(s)s”，请在报名列表中审核或处理。",
                          s=labels.label("invitation_status", row.status)), code="bad_status")
    if status == "registered" and row.status not in PARTICIPANT_STATUSES and registrations.places_left(event) == 0:
        # A place is the registration rules' to give (waiting list in order); at the door "attended" still works.
        raise Conflict(_l("活动名额已满（%(n)s 个），不能直接改为已报名；该单位可以报名进入候补名单。",
                          n=event.capacity), code="event_full")
    if row.status != status:
        audit.record(user, "invitation_status", row, {"status": {"before": row.status, "after": status}},
                     note=f"event {event.id}")
        freed = row.status in PARTICIPANT_STATUSES and status not in PARTICIPANT_STATUSES
        row.status = status
        row.checked_in_at = utcnow() if status == "attended" else None
        if freed:
            registrations.promote_waitlist(event, user)
    db.session.commit()
    return row


def check_in(event_id: int, org_id: int, actor: User | None) -> Invitation:
    """The day's one-click attendance."""
    return set_invitation_status(event_id, org_id, "attended", actor)


def slot_time(event: Event, slot: int) -> datetime:
    """Start of a slot: slot 0 begins when the event does."""
    return event.starts_at + timedelta(minutes=event.slot_minutes * slot)


@dataclass(frozen=True)
class AgendaGrid:
    """The stored agenda by (slot, table) and by organization, for pages, print and export."""

    event: Event
    times: list[datetime]
    tables: list[int]
    cells: dict[tuple[int, int], Meeting]
    by_org: list[tuple[Organization, list[Meeting]]]


def agenda(event_id: int, actor: User | None) -> AgendaGrid:
    event = get_event(event_id, actor)
    meetings = list(event.meetings)
    slots = max([event.slot_count] + [m.slot + 1 for m in meetings])
    tables = max([event.table_count] + [m.table_no for m in meetings])
    orgs: dict[int, tuple[Organization, list[Meeting]]] = {}
    for m in meetings:
        for org in (m.result.org, m.company):
            orgs.setdefault(org.id, (org, []))[1].append(m)
    return AgendaGrid(event, [slot_time(event, s) for s in range(slots)], list(range(1, tables + 1)),
                      {(m.slot, m.table_no): m for m in meetings},
                      sorted(orgs.values(), key=lambda om: (om[0].kind == "company", om[0].name)))
