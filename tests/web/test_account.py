"""Account self-service through the pages, with e-mail delivered to a real SMTP server on loopback."""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import check_password_hash

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, OutgoingMail, User
from matchmaker.models._base import utcnow
from matchmaker.services.credentials import tokens
from matchmaker.services.errors import PermissionDenied
from matchmaker.services.permissions import require_verified_email
from tests.conftest import PASSWORD, login
from tests.web.support import sign_in

NEW_PASSWORD = "Brand-New-Secret-77"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _sign_in_with_form(client: FlaskClient, username: str, password: str) -> Any:
    return client.post("/auth/login", data={"username": username, "password": password})


def _reset_link(client: FlaskClient, runner: Any, mailbox: Any, email: str) -> str:
    client.post("/account/forgot", data={"email": email})
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    return mailbox.received[-1].link("/account/reset/")


def test_forgot_password_link_from_the_received_mail_works_once(app: Any, client: FlaskClient, runner: Any,
                                                                make_user: Any, smtp_server: Any) -> None:
    user = make_user("researcher", username="forgetful", email="Forgetful@Example.edu.cn")
    elsewhere = app.test_client()
    assert _sign_in_with_form(elsewhere, "forgetful", PASSWORD).status_code == 302
    link = _reset_link(client, runner, smtp_server, "forgetful@example.edu.cn")
    received = smtp_server.received[-1]
    assert received.rcpt_tos == ["Forgetful@Example.edu.cn"]
    assert received.message["Subject"] == "重置您的密码" and "30 分钟内" in received.text
    assert link.startswith("http://localhost:5000/account/reset/") and f'href="{link}"' in received.html

    assert "设置新密码" in client.get(_path(link)).get_data(as_text=True)
    answer = client.post(_path(link), data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/auth/login")
    assert _sign_in_with_form(client, "forgetful", NEW_PASSWORD).status_code == 302
    assert elsewhere.get("/account/preferences").status_code == 302  # a reset ends every earlier session

    db.session.refresh(user)
    hash_after_first_use = user.password_hash
    for again in (client.get(_path(link)), client.post(_path(link), data={"new_password": "Other-Secret-88",
                                                                          "confirm": "Other-Secret-88"})):
        assert again.status_code == 400
        assert "重置链接无效或已被使用，请重新申请。" in again.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == hash_after_first_use
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == user.id)))
    assert "password_reset_requested" in actions and "password_reset" in actions


def test_an_expired_reset_link_is_refused_in_the_visitors_language(app: Any, client: FlaskClient, runner: Any,
                                                                   make_user: Any, smtp_server: Any,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user("researcher", email="late@example.com")
    link = _path(_reset_link(client, runner, smtp_server, "late@example.com"))
    monkeypatch.setattr(tokens, "utcnow", lambda: utcnow() + timedelta(minutes=31))
    answer = client.post(link, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 400
    assert "重置链接已过期（有效期 30 分钟），请重新申请。" in answer.get_data(as_text=True)
    english = client.get(link + "?lang=en").get_data(as_text=True)
    assert "This reset link has expired (it works for 30 minutes)" in english
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, PASSWORD)
    monkeypatch.setattr(tokens, "utcnow", lambda: utcnow() + timedelta(minutes=29))
    assert client.get(link + "?lang=zh_Hans_CN").status_code == 200  # within 30 minutes it still works


def test_a_tampered_link_is_refused(client: FlaskClient, make_user: Any) -> None:
    token = tokens.make_token(make_user("researcher", email="t@example.com"), "reset")
    assert client.get(f"/account/reset/{token[:-2]}xx").status_code == 400
    assert client.get(f"/account/verify/{token}").status_code == 400  # a reset token is not a verification one


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(client: FlaskClient,
                                                                           make_user: Any) -> None:
    make_user("company", email="known@example.com")
    known = client.post("/account/forgot", data={"email": "known@example.com"})
    unknown = client.post("/account/forgot", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert "如果该邮箱登记在某个账号下" in known.get_data(as_text=True)
    assert [m.to for m in db.session.scalars(select(OutgoingMail))] == ["known@example.com"]


def test_reset_mails_per_account_are_capped(app: Any, client: FlaskClient, make_user: Any) -> None:
    make_user("company", email="many@example.com")
    for _ in range(app.config["RESET_MAILS_PER_HOUR"] + 2):
        assert client.post("/account/forgot", data={"email": "many@example.com"}).status_code == 200
    assert len(list(db.session.scalars(select(OutgoingMail)))) == app.config["RESET_MAILS_PER_HOUR"]


def test_forgot_password_is_rate_limited_with_a_localized_page(app: Any, client: FlaskClient) -> None:
    app.config["RESET_MAILS_PER_HOUR"] = 100
    answers = [client.post("/account/forgot", data={"email": f"x{i}@example.com"}).status_code for i in range(6)]
    assert answers == [200] * 5 + [429]
    page = client.post("/account/forgot", data={"email": "x@example.com"})
    assert page.status_code == 429 and "请求过于频繁，请稍后再试。" in page.get_data(as_text=True)
    english = client.post("/account/forgot?lang=en", data={"email": "x@example.com"})
    assert english.status_code == 429 and "Too many requests" in english.get_data(as_text=True)
    assert client.get("/account/forgot").status_code == 200  # only submissions are limited


def test_change_password_ends_every_other_session(app: Any, make_user: Any) -> None:
    user = make_user("researcher", username="twodevices", email="two@example.com")
    laptop, phone = app.test_client(), app.test_client()
    assert _sign_in_with_form(laptop, "twodevices", PASSWORD).status_code == 302
    assert _sign_in_with_form(phone, "twodevices", PASSWORD).status_code == 302
    assert phone.get("/account/preferences").status_code == 200

    wrong = laptop.post("/account/password", data={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert "当前密码不正确。" in wrong.get_data(as_text=True)
    assert phone.get("/account/preferences").status_code == 200  # nothing changed
    answer = laptop.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert answer.status_code == 302
    assert laptop.get("/account/preferences").status_code == 200  # this session is kept
    ended = phone.get("/account/preferences")
    assert ended.status_code == 302 and "/auth/login" in ended.headers["Location"]
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    notice = db.session.scalar(select(OutgoingMail))
    assert notice is not None and notice.template == "password_changed" and notice.to == "two@example.com"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password_change")) is not None


@pytest.mark.parametrize(("fields", "field_error"), [
    ({"new_password": "short", "confirm": "short"}, "密码至少需要"),
    ({"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}, "两次输入的密码不一致。"),
])
def test_change_password_bad_input(client: FlaskClient, make_user: Any, fields: dict[str, str],
                                   field_error: str) -> None:
    user = make_user("researcher")
    login(client, user)
    page = client.post("/account/password", data={"current_password": PASSWORD, **fields})
    assert page.status_code == 200 and field_error in page.get_data(as_text=True)
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, PASSWORD)


def test_new_account_is_unverified_can_browse_and_verifies_through_the_mail(
        app: Any, client: FlaskClient, runner: Any, smtp_server: Any, make_org: Any) -> None:
    org = make_org(kind="university")
    answer = client.post("/auth/register", data={
        "role": "researcher", "username": "newbie", "display_name": "新用户", "email": "newbie@example.edu.cn",
        "password": "Very-Long-Pass-99", "confirm": "Very-Long-Pass-99", "org_id": str(org.id)})
    assert answer.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "newbie"))
    assert user is not None and user.email_verified is False
    with pytest.raises(PermissionDenied) as refused:
        require_verified_email(user)
    assert refused.value.code == "email_unverified"
    page = client.get("/results/")
    assert page.status_code == 200 and "您的电子邮箱尚未验证" in page.get_data(as_text=True)

    runner.invoke(args=["send-mail"])
    link = _path(smtp_server.received[-1].link("/account/verify/"))
    assert smtp_server.received[-1].message["Subject"] == "请验证您的电子邮箱"
    assert client.get(link).status_code == 200
    db.session.refresh(user)
    assert user.email_verified is False  # opening the page changes nothing
    assert client.post(link).status_code == 302
    db.session.refresh(user)
    assert user.email_verified is True and require_verified_email(user) is user
    assert "您的电子邮箱尚未验证" not in client.get("/results/").get_data(as_text=True)
    assert client.post(link).status_code == 400  # used
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "email_verified")) is not None


def test_registration_requires_an_email_address(client: FlaskClient, make_org: Any) -> None:
    org = make_org(kind="university")
    page = client.post("/auth/register", data={
        "role": "researcher", "username": "nomail", "email": "", "password": "Very-Long-Pass-99",
        "confirm": "Very-Long-Pass-99", "org_id": str(org.id)})
    assert "请输入电子邮箱，用于验证账号和找回密码。" in page.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "nomail")) is None


def test_admin_unlocks_and_sends_a_reset_mail_both_audited(app: Any, client: FlaskClient, make_user: Any) -> None:
    admin = make_user("admin")
    locked = make_user("company", username="locked1", email="locked@example.com")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _sign_in_with_form(app.test_client(), "locked1", "wrong-password-x")
    refused = _sign_in_with_form(app.test_client(), "locked1", PASSWORD).get_data(as_text=True)
    assert "账号已暂时锁定，请于" in refused and "后再试" in refused
    sign_in(client, admin)
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert "已锁定至" in users_page and f"/admin/users/{locked.id}/unlock" in users_page
    assert client.post(f"/admin/users/{locked.id}/unlock").status_code == 302
    assert _sign_in_with_form(app.test_client(), "locked1", PASSWORD).status_code == 302
    assert client.post(f"/admin/users/{locked.id}/send-reset").status_code == 302
    mail = db.session.scalar(select(OutgoingMail))
    assert mail is not None and mail.to == "locked@example.com" and "平台管理员" in mail.text
    entries = {e.action: e for e in db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == admin.id))}
    assert entries["unlock"].entity_id == locked.id and entries["password_reset_sent"].entity_id == locked.id


def test_admin_outbox_lists_errors_and_retries(app: Any, client: FlaskClient, make_user: Any) -> None:
    admin = make_user("admin")
    failed = OutgoingMail(to="f@example.com", template="notification", subject="失败的邮件", text="t", html="h",
                          language="zh_Hans_CN", status="failed", attempts=6,
                          last_error="SMTPRecipientsRefused: 550 mailbox unavailable")
    db.session.add(failed)
    db.session.commit()
    sign_in(client, admin)
    page = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "失败的邮件" in page and "550 mailbox unavailable" in page and "重试" in page
    assert client.post(f"/admin/mail/{failed.id}/retry").status_code == 302
    db.session.refresh(failed)
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mail_retry")) is not None


def test_preferences_page_saves_email_choices_and_language(client: FlaskClient, make_user: Any) -> None:
    user = make_user("company", email="p@example.com")
    login(client, user)
    page = client.get("/account/preferences").get_data(as_text=True)
    assert "收到对接申请" in page and "邮件语言" in page
    answer = client.post("/account/preferences", data={"email_kinds": ["intent_status"], "language": "en"})
    assert answer.status_code == 302
    db.session.refresh(user)
    assert user.language == "en" and user.email_kinds["intent_status"] is True
    assert user.email_kinds["contact_received"] is False
    bad = client.post("/account/preferences", data={"email_kinds": ["bogus"], "language": "fr"})
    assert "请选择列表中的通知类型。" in bad.get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "en"
