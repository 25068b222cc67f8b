"""deliver_email_for: a notification is e-mailed only when its recipient's preference says so."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail
from matchmaker.services.mail import preferences


def _deliver(user: Any, kind: str) -> Any:
    return preferences.deliver_email_for(user, kind, lambda: _("您收到了新的对接申请：%(title)s", title="耐高温氟橡胶"),
                                         "/contact-requests/7")


def test_defaults_and_choices_decide_whether_mail_is_queued(app: Any, make_user: Any) -> None:
    user = make_user("researcher", email="r@example.com")
    assert preferences.wants_email(user, "contact_received") is True  # default on
    assert preferences.wants_email(user, "intent_status") is False  # default in-app only
    assert preferences.wants_email(user, "some_new_kind") is False
    preferences.set_preferences(user, {"email_kinds": ["intent_status"], "language": "zh_Hans_CN"})
    assert _deliver(user, "contact_received") is None
    mail = _deliver(user, "intent_status")
    assert mail is not None
    db.session.commit()
    assert mail.subject == "您收到了新的对接申请：耐高温氟橡胶"
    assert "http://localhost:5000/contact-requests/7" in mail.text and "/account/preferences" in mail.text
    assert [m.template for m in db.session.scalars(select(OutgoingMail))] == ["notification"]


def test_notification_mail_in_english_for_an_english_reader(app: Any, make_user: Any) -> None:
    user = make_user("company", email="e@example.com", language="en")
    mail = _deliver(user, "contact_received")
    assert mail is not None and mail.language == "en"
    assert "Dear" in mail.text and "Details:" in mail.text and "View details" in mail.html


def test_no_mail_for_accounts_without_address_or_disabled(app: Any, make_user: Any) -> None:
    assert _deliver(make_user("company", email=""), "contact_received") is None
    disabled = make_user("company", email="d@example.com", disabled=True)
    assert _deliver(disabled, "contact_received") is None
