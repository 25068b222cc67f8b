"""The daily nudge about 合作意向 nobody has followed up: one notification per staff member per day, with the
count and a link to the filtered list (run by `flask remind-stale-intents` from cron; running it twice in a
day tells nobody twice)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Intent, Notification
from matchmaker.services import fields
from matchmaker.services.deals.intents import stale_condition
from matchmaker.services.notify.notifications import notify, staff_users


def _start_of(day: date) -> datetime:
    """The UTC moment the bureau's `day` begins (notification times are stored in UTC)."""
    return datetime.combine(day, time.min, tzinfo=fields.local_tz()).astimezone(UTC)


def remind_stale_intents(today: date | None = None) -> int:
    """Tell each active staff member how many intents are stale today; returns how many were told."""
    day = today or fields.today()
    count = db.session.scalar(select(func.count(Intent.id)).where(stale_condition(day))) or 0
    if not count:
        return 0
    since, until = _start_of(day), _start_of(day + timedelta(days=1))
    told_today = set(db.session.scalars(select(Notification.recipient_id).where(
        Notification.kind == "stale_intents", Notification.created_at >= since, Notification.created_at < until)))
    told = 0
    for user in staff_users():
        if user.id not in told_today:
            notify(user, "stale_intents", "stale_intents",
                   {"n": count, "days": current_app.config["STALE_INTENT_DAYS"]}, link="/deals/intents?stale=1")
            told += 1
    db.session.commit()
    return told
