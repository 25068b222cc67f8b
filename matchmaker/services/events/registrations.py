"""对接活动 for participants: who takes part in an event (the registration lives on the Invitation row)."""
from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Invitation, Result
from matchmaker.models.event import PARTICIPANT_STATUSES


def participant_orgs(event: Event) -> set[int]:
    """Organizations taking part: registered or attended ones, and the organizations of the presented results."""
    registered = select(Invitation.org_id).where(Invitation.event_id == event.id,
                                                 Invitation.status.in_(PARTICIPANT_STATUSES))
    presenting = (select(Result.org_id).join(EventResult, EventResult.result_id == Result.id)
                  .where(EventResult.event_id == event.id))
    return set(db.session.scalars(registered.union(presenting)))


def is_participant(event: Event, org_id: int | None) -> bool:
    """True when this organization takes part in the event (see participant_orgs)."""
    return org_id is not None and org_id in participant_orgs(event)
