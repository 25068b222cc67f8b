"""Events, meetings, intents, transfers and goal progress as plain dicts for the output schemas."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from matchmaker import labels
from matchmaker.api.present import aware, org_ref, page, target
from matchmaker.services import fields
from matchmaker.services.deals import intents, transfers
from matchmaker.services.events import events
from matchmaker.services.goals import figures as goals

if TYPE_CHECKING:
    from matchmaker.models import Event, Intent, IntentNote, Invitation, Meeting, Transfer
    from matchmaker.services.goals.progress import Progress

EVENT_FIELDS = ("id", "name", "type", "status", "venue", "capacity", "description", "slot_minutes", "slot_count",
                "table_count", "meeting_cap")
EVENT_INPUT = ("name", "type", "starts_at", "venue", "chain_ids", "capacity", "description", "slot_minutes",
               "slot_count", "table_count", "meeting_cap")
INTENT_INPUT = ("result_id", "company_id", "need_id", "event_id", "meeting_id", "logged_on", "mode", "amount_wan")
TRANSFER_INPUT = ("result_id", "buyer_id", "intent_id", "contract_number", "contract_type", "amount_wan", "signed_on",
                  "override_reason")
LOCAL_CHOICE = {None: "auto", True: "yes", False: "no"}
EVIDENCE_KIND = {"events": "event", "transfers": "transfer", "results": "result", "firms": "organization",
                 "intents": "intent"}


def local(moment: datetime) -> datetime:
    """Events keep naive local wall-clock times; give them the bureau's offset (config TIMEZONE)."""
    return moment.replace(tzinfo=fields.local_tz()) if moment.tzinfo is None else moment


def paged(rows: list[Any], args: dict[str, Any], size: int, render: Any) -> dict[str, Any]:
    """One page of a service's full list, like the other lists."""
    number = args["page"]
    return page([render(r) for r in rows[(number - 1) * size:number * size]], len(rows), number, size)


def event(item: Event) -> dict[str, Any]:
    out = {name: getattr(item, name) for name in EVENT_FIELDS}
    out.update(starts_at=local(item.starts_at), chain_ids=list(item.chain_ids or []),
               transitions=list(events.TRANSITIONS.get(item.status, ())),
               created_at=aware(item.created_at), updated_at=aware(item.updated_at))
    return out


def invitation(row: Invitation) -> dict[str, Any]:
    return {"org": org_ref(row.org), "status": row.status, "score": row.score,
            "checked_in_at": aware(row.checked_in_at)}


def meeting(row: Meeting) -> dict[str, Any]:
    return {"id": row.id, "event_id": row.event_id, "slot": row.slot, "table_no": row.table_no,
            "starts_at": local(events.slot_time(row.event, row.slot)), "result": target(row.result),
            "need": target(row.need) if row.need is not None else None, "company": org_ref(row.company),
            "score": row.score, "outcome": row.outcome}


def event_detail(item: Event) -> dict[str, Any]:
    return {**event(item),
            "presented": [{"result": target(p.result), "position": p.position, "score": p.score}
                          for p in item.presentations],
            "invitations": [invitation(i) for i in item.invitations],
            "meetings": [meeting(m) for m in item.meetings]}


def event_input(item: Event) -> dict[str, Any]:
    """The stored input fields, to merge a partial update onto."""
    return {name: getattr(item, name) for name in EVENT_INPUT}


def note(row: IntentNote) -> dict[str, Any]:
    return {"id": row.id, "noted_on": row.noted_on, "text": row.text, "author_id": row.author_id,
            "created_at": aware(row.created_at)}


def intent(item: Intent) -> dict[str, Any]:
    return {"id": item.id, "status": item.status, "result": target(item.result), "company": org_ref(item.company),
            "need": target(item.need) if item.need is not None else None,
            "event": {"id": item.event.id, "name": item.event.name} if item.event is not None else None,
            "meeting_id": item.meeting_id, "logged_on": item.logged_on, "mode": item.mode,
            "amount_wan": item.amount_wan, "last_activity_on": item.last_activity_on,
            "stale": intents.is_stale(item), "transitions": list(intents.TRANSITIONS.get(item.status, ())),
            "created_at": aware(item.created_at), "updated_at": aware(item.updated_at)}


def intent_detail(item: Intent) -> dict[str, Any]:
    return {**intent(item), "notes": [note(n) for n in item.notes]}


def intent_input(item: Intent) -> dict[str, Any]:
    return {name: getattr(item, name) for name in INTENT_INPUT}


def transfer(item: Transfer) -> dict[str, Any]:
    return {"id": item.id, "result": target(item.result), "buyer": org_ref(item.buyer), "intent_id": item.intent_id,
            "contract_number": item.contract_number, "contract_type": item.contract_type,
            "amount_wan": item.amount_wan, "signed_on": item.signed_on, "local": transfers.is_local(item),
            "derived_local": transfers.derived_local(item), "local_override": item.local_override,
            "override_reason": item.override_reason, "created_at": aware(item.created_at),
            "updated_at": aware(item.updated_at)}


def transfer_input(item: Transfer) -> dict[str, Any]:
    """The stored fields in the service's terms (`local`: auto, yes or no)."""
    return {**{name: getattr(item, name) for name in TRANSFER_INPUT}, "local": LOCAL_CHOICE[item.local_override]}


def transfer_data(data: dict[str, Any]) -> dict[str, Any]:
    """The API's `local_override` (null, true, false) as the service's `local` (auto, yes, no)."""
    out = dict(data)
    if "local_override" in out:
        out["local"] = LOCAL_CHOICE[out.pop("local_override")]
    return out


def status_label(progress: Progress) -> str:
    """The dashboard's badge text."""
    if progress.status == "done":
        return _("已完成")
    if progress.status == "on_track":
        return _("进度正常")
    return _("落后 %(n)d", n=progress.behind_by)


def goal(progress: Progress, figure: goals.Figure) -> dict[str, Any]:
    kind = EVIDENCE_KIND[figure.metric]
    return {"metric": progress.metric, "label": labels.label("goal_metric", progress.metric),
            "target": progress.target, "actual": progress.actual, "percent": progress.percent,
            "pace": progress.pace, "forecast": progress.forecast, "status": progress.status,
            "status_label": status_label(progress), "behind_by": progress.behind_by,
            "evidence": [{"kind": kind, "id": e.id, "on": e.on, "merged": list(e.merged)} for e in figure.evidence]}
