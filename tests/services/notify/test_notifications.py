"""Notifications: written with the change that causes them, counted cheaply, read one or all, mailed where wanted."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Intent, Notification, OutgoingMail, User
from matchmaker.services.deals import intents
from matchmaker.services.errors import NotFound, ValidationFailed
from matchmaker.services.mail import preferences as mail_preferences
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


def test_a_notification_is_mailed_with_its_change_when_the_recipient_wants_it(
        app: Any, make_user: Callable[..., User]) -> None:
    wants = make_user("company", email="wants@example.com")  # contact_received is e-mailed by default
    quiet = make_user("company", email="quiet@example.com")
    unverified = make_user("company", email="typo@example.com", email_verified=False)
    mail_preferences.set_preferences(quiet, {"email_kinds": [], "language": "zh_Hans_CN"})
    for user in (wants, quiet, unverified):
        notifications.notify(user, "contact_received", "contact_received", {"org": "甲公司", "title": "乙材料"},
                             link="/contacts/7")
    notifications.notify(wants, "intent_status", "intent_status", {"title": "乙材料", "status": "洽谈中"})
    db.session.rollback()  # the change did not happen: neither did its notifications or mail
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0
    for user in (wants, quiet, unverified):
        notifications.notify(user, "contact_received", "contact_received", {"org": "甲公司", "title": "乙材料"},
                             link="/contacts/7")
    notifications.notify(wants, "intent_status", "intent_status", {"title": "乙材料", "status": "洽谈中"})
    db.session.commit()
    mails = list(db.session.scalars(select(OutgoingMail)))
    assert [(m.to, m.subject) for m in mails] == [("wants@example.com", "甲公司 希望与您就“乙材料”对接。")]
    assert "http://localhost:5000/contacts/7" in mails[0].text
    assert db.session.scalar(select(func.count(Notification.id))) == 4  # in the app everyone is told
