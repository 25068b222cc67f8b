"""Demo events, invitations, meetings, intents and transfers from corpus/demo (inside the demo transaction)."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Intent, IntentNote, Invitation, Meeting, Transfer


def _read(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def seed(folder: Path, orgs: dict[str, Any], results: dict[str, Any], needs: dict[str, Any],
         users: dict[str, Any]) -> dict[str, int]:
    """Load events.json, intents.json and transfers.json (each optional); returns the counts added."""
    chain_ids = {c.code: c.id for c in db.session.scalars(select(Chain))}
    events: dict[str, Event] = {}
    counts = {"events": 0, "invitations": 0, "meetings": 0, "intents": 0, "transfers": 0}
    for item in _read(folder, "events.json"):
        event = _event(item, chain_ids, orgs, results, needs, counts)
        events[item["key"]] = event
    db.session.flush()
    intents: dict[str, Intent] = {}
    for item in _read(folder, "intents.json"):
        intent = _intent(item, orgs, results, needs, events)
        if intent is not None:
            intents[item["key"]] = intent
    counts["intents"] = len(intents)
    db.session.flush()
    for item in _read(folder, "transfers.json"):
        counts["transfers"] += _transfer(item, orgs, results, intents)
    db.session.flush()
    return counts


def _event(item: dict[str, Any], chain_ids: dict[str, int], orgs: dict[str, Any], results: dict[str, Any],
           needs: dict[str, Any], counts: dict[str, int]) -> Event:
    starts = datetime.fromisoformat(item["starts_at"])
    event = Event(name=item["name"], type=item.get("type", "matchmaking"), starts_at=starts,
                  venue=item.get("venue", ""), capacity=item.get("capacity"), status=item.get("status", "planned"),
                  description=item.get("description", ""),
                  chain_ids=[chain_ids[c] for c in item.get("chains", []) if c in chain_ids],
                  is_public=bool(item.get("public")), requires_approval=bool(item.get("requires_approval")))
    for key, default in (("slot_minutes", 20), ("slot_count", 6), ("table_count", 5), ("meeting_cap", 3)):
        setattr(event, key, int(item.get(key, default)))
    db.session.add(event)
    for position, key in enumerate(k for k in item.get("presented", []) if k in results):
        event.presentations.append(EventResult(result=results[key], position=position))
    seen: set[str] = set()
    for inv in item.get("invited", []):
        if inv["org"] in orgs and inv["org"] not in seen:
            seen.add(inv["org"])
            status = inv.get("status", "invited")
            attendees = list(inv.get("attendees", []))
            # a registered or attended organization answered a week before the event (the demo's registration)
            answered = starts - timedelta(days=7) if status != "invited" else None
            event.invitations.append(Invitation(org=orgs[inv["org"]], status=status,
                                                checked_in_at=starts if status == "attended" else None,
                                                attendees="\n".join(attendees),
                                                headcount=len(attendees) or None,
                                                registered_at=answered, answered_at=answered))
    counts["invitations"] += len(seen)
    for m in item.get("meetings", []):
        if m.get("result") in results and m.get("company") in orgs:
            slot = int((datetime.fromisoformat(m["slot"]) - starts).total_seconds() // (event.slot_minutes * 60))
            need = needs.get(m.get("need") or "")
            event.meetings.append(Meeting(result=results[m["result"]], need=need, company=orgs[m["company"]],
                                          slot=max(slot, 0), table_no=int(m.get("table", 1)),
                                          score=float(m.get("score", 0.0)), outcome=m.get("outcome", "none")))
            counts["meetings"] += 1
    # The authored agenda decides the room: widen the slot and table settings to hold every meeting.
    event.slot_count = max([event.slot_count] + [m.slot + 1 for m in event.meetings])
    event.table_count = max([event.table_count] + [m.table_no for m in event.meetings])
    counts["events"] += 1
    return event


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _intent(item: dict[str, Any], orgs: dict[str, Any], results: dict[str, Any], needs: dict[str, Any],
            events: dict[str, Event]) -> Intent | None:
    if item.get("result") not in results or item.get("company") not in orgs:
        return None
    logged = date.fromisoformat(item["date"])
    notes = [IntentNote(noted_on=date.fromisoformat(n["date"]), text=n["text"]) for n in item.get("notes", [])]
    intent = Intent(result=results[item["result"]], company=orgs[item["company"]],
                    need=needs.get(item.get("need") or ""), event=events.get(item.get("event") or ""),
                    logged_on=logged, mode=item.get("mode", ""), amount_wan=_money(item.get("amount_wan")),
                    status=item.get("status", "open"),
                    last_activity_on=max([logged] + [n.noted_on for n in notes]), notes=notes)
    db.session.add(intent)
    return intent


def _transfer(item: dict[str, Any], orgs: dict[str, Any], results: dict[str, Any],
              intents: dict[str, Intent]) -> int:
    if item.get("result") not in results or item.get("buyer") not in orgs:
        return 0
    if db.session.scalar(select(Transfer.id).where(Transfer.contract_number == item["contract_number"])):
        return 0
    result = results[item["result"]]
    db.session.add(Transfer(result=result, buyer=orgs[item["buyer"]], intent=intents.get(item.get("intent") or ""),
                            contract_number=item["contract_number"], contract_type=item["contract_type"],
                            amount_wan=_money(item.get("amount_wan")),
                            signed_on=date.fromisoformat(item["signed_on"])))
    result.status = "transferred"
    return 1
