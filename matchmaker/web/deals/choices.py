"""What the intent and transfer forms offer and start from: choices made from the records the deals service
lists, and prefills from the meeting or intent a deal is logged from (the service returns records, this shapes
them for the form)."""
from __future__ import annotations

from typing import Any

from matchmaker.models import Intent, Meeting, User
from matchmaker.services.deals import intents

BLANK = [("", "—")]


def form_options(actor: User | None) -> dict[str, list[tuple[str, str]]]:
    """Choices per form field: results, companies, buyers, needs, events and intents (each after a blank)."""
    found = intents.deal_records(actor)
    return {
        "result_id": BLANK + [(str(r.id), f"{r.title}（{r.org.name}）") for r in found.results],
        "company_id": BLANK + [(str(o.id), o.name) for o in found.companies],
        "buyer_id": BLANK + [(str(o.id), o.name) for o in found.buyers],
        "need_id": BLANK + [(str(n.id), f"{n.title}（{n.org.name}）") for n in found.needs],
        "event_id": BLANK + [(str(e.id), f"{e.starts_at:%Y-%m-%d} {e.name}") for e in found.events],
        "intent_id": BLANK + [(str(i.id), f"#{i.id} {i.result.title} → {i.company.name}") for i in found.intents],
    }


def prefill_from_meeting(m: Meeting) -> dict[str, Any]:
    """Intent form values taken from a meeting: result, company, need, event, meeting and the event's date."""
    return {"result_id": str(m.result_id), "company_id": str(m.company_id), "need_id": str(m.need_id or ""),
            "event_id": str(m.event_id), "meeting_id": str(m.id), "logged_on": m.event.starts_at.date()}


def prefill_from_intent(intent: Intent) -> dict[str, Any]:
    """Transfer form values taken from an intent."""
    return {"result_id": str(intent.result_id), "buyer_id": str(intent.company_id), "intent_id": str(intent.id),
            "amount_wan": intent.amount_wan}
