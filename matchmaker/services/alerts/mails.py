"""Alert e-mail: one per alert (immediate), or `flask send-digests` grouping what arrived since the last digest;
every message carries a signed one-click unsubscribe link per subscription, and a List-Unsubscribe header
(RFC 8058) that stops alert e-mail for the account.

A link is an itsdangerous URLSafeTimedSerializer token (the app's SECRET_KEY, its own salt) naming the owner and
one subscription (or none: all alert e-mail). It works without signing in. Opening it (GET) only shows what it
would turn off and a button: mail gateways and link scanners open links, and a read must not change anything.
The button, or a mail client's one-click POST to the header's address, turns off only what the token names.
A token that is tampered with, too old or for a subscription that is gone changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Alert, DigestSetting, Subscription, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit
from matchmaker.services.mail.outbox import absolute_url, mail_language, queue_mail

SALT = "matchmaker-unsubscribe"
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
SLACK = timedelta(hours=1)
"""A digest is due this much before its period is over, so a cron run a few minutes early does not skip a day."""


class UnsubscribeInvalid(Exception):
    """The link is forged, altered, expired or for a subscription that no longer exists."""


def posting_path(kind: str, posting_id: int) -> str:
    return f"/{'results' if kind == 'result' else 'needs'}/{posting_id}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(sub: Subscription) -> str:
    return _serializer().dumps({"s": sub.id, "u": sub.user_id})


def unsubscribe_url(sub: Subscription) -> str:
    return absolute_url("alerts.unsubscribe", token=unsubscribe_token(sub))


def stop_mail_url(user: User) -> str:
    """The List-Unsubscribe address: stops alert e-mail for the account (its subscriptions stay on the site)."""
    return absolute_url("alerts.unsubscribe", token=_serializer().dumps({"s": 0, "u": user.id}))


@dataclass(frozen=True)
class UnsubscribeTarget:
    """What a token turns off: one subscription, or (subscription None) all of the user's alert e-mail."""
    user: User
    subscription: Subscription | None


def read_token(token: str) -> UnsubscribeTarget:
    """What a signed token names, changing nothing; UnsubscribeInvalid when it is not valid."""
    max_age = int(timedelta(days=int(current_app.config["UNSUBSCRIBE_TOKEN_DAYS"])).total_seconds())
    try:
        data: Any = _serializer().loads(token[:500], max_age=max_age)
        sub_id, user_id = int(data["s"]), int(data["u"])
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError) as exc:
        raise UnsubscribeInvalid from exc
    user = db.session.get(User, user_id)
    if user is None:
        raise UnsubscribeInvalid
    if sub_id == 0:
        return UnsubscribeTarget(user, None)
    sub = db.session.get(Subscription, sub_id)
    if sub is None or sub.user_id != user_id:
        raise UnsubscribeInvalid
    return UnsubscribeTarget(user, sub)


def unsubscribe(token: str) -> UnsubscribeTarget:
    """Turn off what the signed token names (no sign-in); idempotent; UnsubscribeInvalid changes nothing."""
    target = read_token(token)
    sub = target.subscription
    if sub is None:
        setting = db.session.get(DigestSetting, target.user.id)
        before = setting.frequency if setting is not None else str(current_app.config["ALERT_DIGEST_DEFAULT"])
        if before != "off":
            if setting is None:
                setting = DigestSetting(user_id=target.user.id, frequency="off")
                db.session.add(setting)
            setting.frequency = "off"
            audit.record(target.user, "set_digest", target.user,
                         {"digest_frequency": {"before": before, "after": "off"}}, note="e-mail link")
            db.session.commit()
    elif sub.active:
        audit.record(sub.user, "unsubscribe", sub, {"active": {"before": True, "after": False}}, note="e-mail link")
        sub.active = False
        db.session.commit()
    return target


def _can_mail(user: User) -> bool:
    return bool(user.is_active and user.email and user.email_verified)


def _item(alert: Alert) -> dict[str, Any]:
    base = current_app.config["BASE_URL"].rstrip("/")
    link = base + posting_path(alert.posting_kind, alert.posting_id)
    return {"title": alert.title, "score": alert.score, "link": link}


def queue_alert(sub: Subscription, alert: Alert) -> None:
    """The e-mail of one alert, for an account that wants them immediately (the caller commits)."""
    from matchmaker.services.alerts.subscriptions import describe

    user = sub.user
    if not _can_mail(user):
        return
    with force_locale(mail_language(user)):
        context = {"groups": [{"description": describe(sub), "items": [_item(alert)],
                               "unsubscribe": unsubscribe_url(sub)}],
                   "total": 1, "more": 0, "subscriptions_link": absolute_url("alerts.index")}
        queue_mail(user, "alert", context, list_unsubscribe=stop_mail_url(user))


@dataclass(frozen=True)
class DigestReport:
    users: int
    alerts: int


def _due(setting: DigestSetting | None, frequency: str, now: datetime) -> bool:
    if frequency not in PERIODS:
        return False
    last = setting.last_sent_at if setting is not None else None
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    return now - last >= PERIODS[frequency] - SLACK


def send_digests(now: datetime | None = None) -> DigestReport:
    """One pass (for cron): each account whose daily or weekly digest is due gets one e-mail with the alerts that
    arrived since its last digest; accounts without a verified address are skipped and their alerts stay waiting."""
    now = now or utcnow()
    default = str(current_app.config["ALERT_DIGEST_DEFAULT"])
    waiting = list(db.session.scalars(select(Alert).where(Alert.mailed_at.is_(None))
                                      .order_by(Alert.user_id, Alert.created_at, Alert.id)))
    by_user: dict[int, list[Alert]] = {}
    for alert in waiting:
        by_user.setdefault(alert.user_id, []).append(alert)
    users = sent = 0
    for user_id, alerts in by_user.items():
        for gone in [a for a in alerts if a.subscription is None or not a.subscription.active]:
            gone.mailed_at = now  # unsubscribed or deleted since: that subscription sends nothing more
        alerts = [a for a in alerts if a.mailed_at is None]
        user = db.session.get(User, user_id)
        setting = db.session.get(DigestSetting, user_id)
        frequency = setting.frequency if setting is not None else default
        if not alerts or user is None or not _can_mail(user) or not _due(setting, frequency, now):
            continue
        _queue_digest(user, alerts)
        if setting is None:
            setting = DigestSetting(user_id=user_id, frequency=frequency)
            db.session.add(setting)
        setting.last_sent_at = now
        for alert in alerts:
            alert.mailed_at = now
        users, sent = users + 1, sent + len(alerts)
    if users:
        audit.record(None, "send_digests", None, {"users": users, "alerts": sent}, entity_type="system")
    db.session.commit()
    return DigestReport(users, sent)


def _queue_digest(user: User, alerts: list[Alert]) -> None:
    from matchmaker.services.alerts.subscriptions import describe

    limit = int(current_app.config["ALERT_DIGEST_MAX_ITEMS"])
    groups: dict[int, dict[str, Any]] = {}
    with force_locale(mail_language(user)):
        for alert in alerts[:limit]:
            sub = alert.subscription
            assert sub is not None  # send_digests keeps only alerts of active subscriptions
            if sub.id not in groups:
                groups[sub.id] = {"description": describe(sub), "items": [], "unsubscribe": unsubscribe_url(sub)}
            groups[sub.id]["items"].append(_item(alert))
        queue_mail(user, "digest", {"groups": list(groups.values()), "total": len(alerts),
                                    "more": max(len(alerts) - limit, 0),
                                    "subscriptions_link": absolute_url("alerts.index")},
                   list_unsubscribe=stop_mail_url(user))
