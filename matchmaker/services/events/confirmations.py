"""The confirmation e-mail of a registration that has a place: the event, the check-in code and its QR code."""
from __future__ import annotations

from matchmaker.models import Invitation
from matchmaker.services.events import schedule
from matchmaker.services.mail.outbox import absolute_url, queue_mail
from matchmaker.services.notify.notifications import members_of


def _mailable(user: object) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "email", "") and
                getattr(user, "email_verified", False))


def queue_confirmation(row: Invitation) -> int:
    """Queue the confirmation to every member of the organization with a verified address (the caller commits)."""
    event, code = row.event, row.checkin_code or ""
    context = {"event_name": event.name, "when": event.starts_at.strftime("%Y-%m-%d %H:%M"),
               "place": event.venue or "—", "org": row.org.name, "code": schedule.show_code(code),
               "qr": schedule.qr_png_data_uri(code), "link": absolute_url("participate.my_event", event_id=event.id)}
    sent = 0
    for user in members_of(row.org_id):
        if _mailable(user) and queue_mail(user, "event_confirmation", context) is not None:
            sent += 1
    return sent
