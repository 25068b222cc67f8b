"""The outbox and `flask send-mail` against a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail
from matchmaker.models._base import as_utc, utcnow
from matchmaker.services.mail import delivery
from matchmaker.services.mail.outbox import queue_mail
from tests.mailbox import free_port


def _queue(user: Any, **context: Any) -> OutgoingMail:
    mail = queue_mail(user, "password_changed", {"link": "http://localhost:5000/account/forgot", **context})
    db.session.commit()
    assert mail is not None
    return mail


def test_send_mail_delivers_plain_and_html_in_the_recipients_language(app: Any, runner: Any, make_user: Any,
                                                                        smtp_server: Any) -> None:
    zh = make_user("researcher", username="zh_user", email="zh@example.edu.cn")
    en = make_user("company", username="en_user", email="en@example.com", language="en")
    _queue(zh)
    _queue(en)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent: 2" in result.output
    by_rcpt = {r.rcpt_tos[0]: r for r in smtp_server.received}
    assert set(by_rcpt) == {"zh@example.edu.cn", "en@example.com"}
    chinese, english = by_rcpt["zh@example.edu.cn"], by_rcpt["en@example.com"]
    assert chinese.message["Subject"] == "您的密码已修改" and chinese.message["Content-Language"] == "zh-CN"
    assert "zh_user" in chinese.text and "其他设备上的登录已全部退出" in chinese.text
    assert "<p>" in chinese.html and 'href="http://localhost:5000/account/forgot"' in chinese.html
    assert english.message["Subject"] == "Your password was changed" and english.message["Content-Language"] == "en"
    assert "signed out everywhere else" in english.text and "其他设备" not in english.text
    assert chinese.message["From"].addresses[0].addr_spec == "platform@kjj.example.cn"
    assert chinese.message["From"].addresses[0].display_name == "科技成果转化对接平台"
    assert chinese.message["Message-ID"].endswith("@kjj.example.cn>")
    rows = list(db.session.scalars(select(OutgoingMail)))
    assert {m.status for m in rows} == {"sent"} and all(m.sent_at and m.attempts == 1 for m in rows)
    assert runner.invoke(args=["send-mail"]).output.startswith("sent: 0")  # nothing is sent twice


def test_without_smtp_nothing_is_lost(app: Any, runner: Any, make_user: Any) -> None:
    mail = _queue(make_user("researcher", email="wait@example.com"))
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0
    assert "MAIL_SERVER is not set" in result.output and "1 messages wait" in result.output
    db.session.refresh(mail)
    assert mail.status == "queued" and mail.attempts == 0


def test_unreachable_server_backs_off_then_fails_with_the_error(app: Any, make_user: Any) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    mail = _queue(make_user("researcher", email="down@example.com"))
    now = utcnow()
    report = delivery.send_due(now)
    db.session.refresh(mail)
    assert (report.retrying, mail.status, mail.attempts) == (1, "queued", 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert abs((as_utc(mail.next_attempt_at) - now) - timedelta(seconds=60)) < timedelta(seconds=1)
    assert delivery.send_due(now + timedelta(seconds=30)).retrying == 0  # not due yet
    delivery.send_due(now + timedelta(seconds=61))
    db.session.refresh(mail)
    assert mail.attempts == 2
    assert abs((as_utc(mail.next_attempt_at) - now) - timedelta(seconds=61 + 120)) < timedelta(seconds=1)
    report = delivery.send_due(now + timedelta(hours=1))
    db.session.refresh(mail)
    assert (report.failed, mail.status, mail.attempts) == (1, "failed", 3)
    assert delivery.send_due(now + timedelta(days=1)).failed == 0  # a failed message is left alone


def test_a_refused_recipient_does_not_stop_the_others(app: Any, make_user: Any, smtp_server: Any) -> None:
    smtp_server.refuse.add("gone@example.com")
    bad = _queue(make_user("researcher", email="gone@example.com"))
    good = _queue(make_user("researcher", email="fine@example.com"))
    report = delivery.send_due()
    db.session.refresh(bad)
    db.session.refresh(good)
    assert (report.sent, report.retrying) == (1, 1)
    assert good.status == "sent" and bad.status == "queued" and "SMTPRecipientsRefused" in bad.last_error
    assert [r.rcpt_tos for r in smtp_server.received] == [["fine@example.com"]]


def test_no_address_or_link_in_log_lines(app: Any, make_user: Any, smtp_server: Any,
                                         caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    # Alembic's fileConfig (the schema fixture ran it) disables loggers that existed before it.
    monkeypatch.setattr(delivery.log, "disabled", False)
    _queue(make_user("researcher", email="secret.person@example.com"), link="http://localhost/account/reset/TOKEN")
    app.config.update(MAIL_PORT=free_port())  # first a failing pass, then a good one
    with caplog.at_level(logging.DEBUG):
        delivery.send_due()
        app.config.update(MAIL_PORT=smtp_server.port)
        delivery.send_due(utcnow() + timedelta(hours=1))
    assert len(smtp_server.received) == 1
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "send-mail" in logged
    assert "secret.person" not in logged and "TOKEN" not in logged


def test_queue_mail_skips_accounts_without_address(app: Any, make_user: Any) -> None:
    assert queue_mail(make_user("researcher", email=""), "password_changed", {"link": "x"}) is None
