"""Telling an organization it is invited: its active members get a notification (and, by default, an e-mail)
in the transaction that puts it on the invitation list, whether staff picked it or the agenda builder did."""
from __future__ import annotations

from collections.abc import Iterable

from matchmaker.models import Event, Organization
from matchmaker.services.notify.notifications import members_of, notify_all


def announce(event: Event, orgs: Iterable[Organization]) -> None:
    """Notify the members of each newly invited organization (the caller audits and commits)."""
    when = event.starts_at.strftime("%Y-%m-%d %H:%M")  # stored as the bureau's wall-clock time
    for org in orgs:
        notify_all(members_of(org.id), "event_invitation", "event_invited",
                   {"org": org.name, "event": event.name, "when": when, "place": event.venue or "—"})
