"""Notifications: written with the change that causes them, counted cheaply, read one or all, preferences, hook."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Intent, Notification, User
from matchmaker.services.deals import intents
from matchmaker.services.errors import NotFound, ValidationFailed
from matchmaker.services.notify import notifications
from matchmaker.services.postings import review


def test_review_results_notify_the_owner(app: Any, make_user: Callable[..., User],
                                         make_posting: Callable[..., Any]) -> None:
    staff, owner = make_user("staff"), make_user("researcher")
    first = make_posting("result", owner=owner, status="pending")
    second = make_posting("result", owner=owner, status="pending", title="第二项：高导热硅胶垫片")
    review.publish_posting("result", first.id, staff)
    review.reject_posting("result", second.id, "请补充技术指标。", staff)
    rows, total = notifications.list_notifications(owner)
    assert total == 2 and notifications.unread_count(owner) == 2
    texts = [notifications.text(n) for n in rows]
    assert "请补充技术指标。" in texts[0] and first.title in texts[1]  # newest first
    with force_locale("en"):
        assert all(t for t in (notifications.text(n) for n in rows))


def test_rolled_back_change_leaves_no_notification(app: Any, make_user: Callable[..., User],
                                                   make_posting: Callable[..., Any]) -> None:
    staff, owner = make_user("staff"), make_user("researcher")
    posting = make_posting("result", owner=owner, status="pending")
    with pytest.raises(ValidationFailed):  # an empty reason: refused before anything is committed
        review.reject_posting("result", posting.id, "", staff)
    db.session.rollback()
    assert notifications.unread_count(owner) == 0


def test_intent_status_change_notifies_the_result_owner(app: Any, make_user: Callable[..., User],
                                                        make_posting: Callable[..., Any],
                                                        make_org: Callable[..., Any]) -> None:
    staff, owner = make_user("staff"), make_user("researcher")
    result = make_posting("result", owner=owner)
    intent = Intent(result_id=result.id, company_id=make_org().id, logged_on=date(2030, 1, 1),
                    last_activity_on=date(2030, 1, 1))
    db.session.add(intent)
    db.session.commit()
    intents.set_intent_status(intent.id, "negotiating", staff)
    assert [n.kind for n in notifications.list_notifications(owner)[0]] == ["intent_status"]


def test_mark_one_and_all_read_only_for_the_recipient(app: Any, make_user: Callable[..., User]) -> None:
    me, other = make_user("company"), make_user("company")
    for _ in range(3):
        notifications.notify(me, "contact_received", "contact_received", {"org": "甲", "title": "乙"})
    db.session.commit()
    first = notifications.list_notifications(me)[0][0]
    with pytest.raises(NotFound):
        notifications.mark_read(first.id, other)
    notifications.mark_read(first.id, me)
    assert notifications.unread_count(me) == 2
    assert notifications.mark_all_read(me) == 2 and notifications.unread_count(me) == 0


def test_preferences_and_the_email_hook(app: Any, make_user: Callable[..., User]) -> None:
    user = make_user("company")
    assert not any(notifications.preferences(user).values())
    notifications.set_preferences(user, ["contact_received", "no_such_kind"])
    assert notifications.preferences(user)["contact_received"] is True
    queued: list[tuple[int, str]] = []
    hook = notifications.on_email(lambda u, n: queued.append((u.id, n.kind)))
    try:
        notifications.notify(user, "contact_received", "contact_received", {"org": "甲", "title": "乙"})
        notifications.notify(user, "contact_decided", "contact_approved", {"org": "甲", "title": "乙"})
        db.session.commit()
    finally:
        notifications._mail_hooks.remove(hook)
    assert queued == [(user.id, "contact_received")]
    assert db.session.scalar(select(Notification.id).where(Notification.kind == "contact_decided"))
