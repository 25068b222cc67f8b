"""deliver_email_for: a notification is e-mailed only when its recipient's preference says so."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail
from matchmaker.services.mail import preferences


def _notification(user: Any, kind: str) -> SimpleNamespace:
    """The shape of the notifications model (recipient_id, kind, subject msgid, params, link)."""
    return SimpleNamespace(recipient_id=user.id, kind=kind, subject="您收到了新的对接申请：%(title)s",
                           params={"title": "耐高温氟橡胶"}, link="/contact-requests/7")


def test_defaults_and_choices_decide_whether_mail_is_queued(app: Any, make_user: Any) -> None:
    user = make_user("researcher", email="r@example.com")
    assert preferences.wants_email(user, "contact_received") is True  # default on
    assert preferences.wants_email(user, "intent_status") is False  # default in-app only
    assert preferences.wants_email(user, "some_new_kind") is False
    preferences.set_preferences(user, {"email_kinds": ["intent_status"], "language": "zh_Hans_CN"})
    assert preferences.deliver_email_for(_notification(user, "contact_received")) is None
    mail = preferences.deliver_email_for(_notification(user, "intent_status"))
    assert mail is not None
    db.session.commit()
    assert mail.subject == "您收到了新的对接申请：耐高温氟橡胶"
    assert "http://localhost:5000/contact-requests/7" in mail.text and "/account/preferences" in mail.text
    assert [m.template for m in db.session.scalars(select(OutgoingMail))] == ["notification"]


def test_notification_mail_in_english_for_an_english_reader(app: Any, make_user: Any) -> None:
    user = make_user("company", email="e@example.com", language="en")
    mail = preferences.deliver_email_for(_notification(user, "contact_received"))
    assert mail is not None and mail.language == "en"
    assert "Dear" in mail.text and "Details:" in mail.text and "View details" in mail.html


def test_no_mail_for_accounts_without_address_or_disabled(app: Any, make_user: Any) -> None:
    assert preferences.deliver_email_for(_notification(make_user("company", email=""), "contact_received")) is None
    disabled = make_user("company", email="d@example.com", disabled=True)
    assert preferences.deliver_email_for(_notification(disabled, "contact_received")) is None
