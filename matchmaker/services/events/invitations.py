"""Telling an organization it is invited: its active members get a notification (and, by default, an e-mail)
in the transaction that puts it on the invitation list, whether staff picked it or the agenda builder did.
The link is signed (registrations.answer_token): from the e-mail it opens a page to accept or decline without
signing in."""
from __future__ import annotations

from collections.abc import Iterable

from matchmaker.extensions import db
from matchmaker.models import Event, Organization
from matchmaker.services.events.registrations import answer_token
from matchmaker.services.notify.notifications import members_of, notify_all


def announce(event: Event, orgs: Iterable[Organization]) -> None:
    """Notify the members of each newly invited organization (the caller audits and commits)."""
    orgs = list(orgs)
    if orgs:
        db.session.flush()  # the rows need their ids for the signed answer link
    rows = {i.org_id: i for i in event.invitations}
    when = event.starts_at.strftime("%Y-%m-%d %H:%M")  # stored as the bureau's wall-clock time
    for org in orgs:
        row = rows.get(org.id)
        link = f"/activities/invitation/{answer_token(row)}" if row is not None else ""
        notify_all(members_of(org.id), "event_invitation", "event_invited",
                   {"org": org.name, "event": event.name, "when": when, "place": event.venue or "—"}, link=link)
