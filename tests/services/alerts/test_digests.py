"""Alert e-mail: a digest received through a loopback SMTP server; its one-click unsubscribe link works without
signing in and turns off only its own subscription; immediate alerts mail at once; "off" mails nothing."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Alert, AuditEntry, OutgoingMail, Subscription, User
from matchmaker.models._base import utcnow
from matchmaker.services.alerts import mails, subscriptions
from matchmaker.services.postings import review
from tests.services.alerts.conftest import SEAL_NEED


def _publish_need(make_user: Callable[..., User], make_posting: Callable[..., Any], **fields: Any) -> Any:
    need = make_posting("need", status="pending", **{**SEAL_NEED, **fields})
    review.publish_posting("need", need.id, make_user("staff"))
    return need


def test_daily_digest_arrives_by_smtp_and_its_unsubscribe_link_turns_off_only_its_subscription(
        app: Any, runner: Any, client: Any, smtp_server: Any, make_user: Callable[..., User],
        make_posting: Callable[..., Any], subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    reader = make_user("researcher", email="reader@example.edu.cn", email_verified=True)
    seals = subscribe(reader, q="氟橡胶 密封件", target_kind="need")
    rubber = subscribe(reader, q="氟橡胶", target_kind="need")
    other = make_user("researcher", email="other@example.edu.cn", email_verified=True)
    others = subscribe(other, q="氟橡胶", target_kind="need")
    subscriptions.set_frequency({"frequency": "weekly"}, other)
    need = _publish_need(make_user, make_posting)
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0  # daily and weekly wait for the digest

    assert runner.invoke(args=["send-digests"]).output.strip() == "digests: 2, alerts: 3"
    assert runner.invoke(args=["send-digests"]).output.strip() == "digests: 0, alerts: 0"  # nothing twice
    assert "sent: 2" in runner.invoke(args=["send-mail"]).output
    received = {r.rcpt_tos[0]: r for r in smtp_server.received}
    digest = received["reader@example.edu.cn"]
    assert digest.message["Subject"] == "订阅汇总：2 条新匹配"
    assert need.title in digest.text and f"/needs/{need.id}" in digest.text
    assert digest.text.count("/alerts/unsubscribe/") == 2 and "/alerts/unsubscribe/" in digest.html

    links = [u for u in digest.text.split() if "/alerts/unsubscribe/" in u]
    first = urlsplit(links[0]).path  # the groups follow the alerts' order: "氟橡胶 密封件" first
    page = client.get(first)  # no one is signed in; opening the link (a mail scanner may) changes nothing
    assert page.status_code == 200 and 'id="unsubscribe-form"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert [db.session.get(Subscription, s.id).active for s in (seals, rubber, others)] == [True, True, True]
    page = client.post(first)  # the page's button: no sign-in, no form token (the signature is the credential)
    assert page.status_code == 200 and "您将不再收到此订阅的提醒" in page.get_data(as_text=True)
    db.session.expire_all()
    assert [db.session.get(Subscription, s.id).active for s in (seals, rubber, others)] == [False, True, True]
    assert client.post(first).status_code == 200  # a second click changes nothing and still says so


def test_list_unsubscribe_one_click_stops_alert_mail_for_that_account_only(
        app: Any, runner: Any, client: Any, smtp_server: Any, make_user: Callable[..., User],
        make_posting: Callable[..., Any], subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    reader = make_user("researcher", email="reader@example.edu.cn", email_verified=True)
    other = make_user("researcher", email="other@example.edu.cn", email_verified=True)
    mine = subscribe(reader, q="氟橡胶 密封件", target_kind="need")
    theirs = subscribe(other, q="氟橡胶", target_kind="need")
    subscriptions.set_frequency({"frequency": "immediate"}, reader)
    subscriptions.set_frequency({"frequency": "immediate"}, other)
    _publish_need(make_user, make_posting)
    assert "sent: 2" in runner.invoke(args=["send-mail"]).output
    received = {r.rcpt_tos[0]: r for r in smtp_server.received}
    message = received["reader@example.edu.cn"].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<") and header.endswith(">") and "/alerts/unsubscribe/" in header
    assert received["other@example.edu.cn"].message["List-Unsubscribe"] != message["List-Unsubscribe"]

    # What a mail client does on "unsubscribe" (RFC 8058): a POST with the one-click body, no cookie, no form token.
    answer = client.post(urlsplit(header[1:-1]).path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "您将不再收到订阅提醒邮件" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert subscriptions.frequency_of(db.session.get(User, reader.id)) == "off"
    assert subscriptions.frequency_of(db.session.get(User, other.id)) == "immediate"
    assert db.session.get(Subscription, mine.id).active and db.session.get(Subscription, theirs.id).active
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "set_digest")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.note == "e-mail link"


def test_a_tampered_or_foreign_token_changes_nothing(app: Any, client: Any, make_user: Callable[..., User],
                                                     subscribe: Callable[..., Subscription]) -> None:
    sub = subscribe(make_user("researcher"), q="氟橡胶", target_kind="need")
    token = mails.unsubscribe_token(sub)
    entries = db.session.scalar(select(func.count(AuditEntry.id)))
    payload, rest = token.split(".", 1)
    altered = ("B" if payload[0] != "B" else "C") + payload[1:] + "." + rest  # another payload, same signature
    for bad in (altered, "not-a-token", token.rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAA"):
        for page in (client.get(f"/alerts/unsubscribe/{bad}"), client.post(f"/alerts/unsubscribe/{bad}")):
            assert page.status_code == 400 and "退订链接无效" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).active is True
    assert db.session.scalar(select(func.count(AuditEntry.id))) == entries


def test_immediate_mails_each_alert_and_off_mails_none(app: Any, make_user: Callable[..., User],
                                                       make_posting: Callable[..., Any],
                                                       subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    fast = make_user("researcher", email="fast@example.com", email_verified=True, language="en")
    quiet = make_user("researcher", email="quiet@example.com", email_verified=True)
    subscribe(fast, q="氟橡胶 密封件", target_kind="need")
    subscribe(quiet, q="氟橡胶 密封件", target_kind="need")
    subscriptions.set_frequency({"frequency": "immediate"}, fast)
    subscriptions.set_frequency({"frequency": "off"}, quiet)
    _publish_need(make_user, make_posting)
    mail = db.session.scalars(select(OutgoingMail)).all()
    assert [m.to for m in mail] == ["fast@example.com"]
    assert mail[0].subject.startswith("New match") and "/alerts/unsubscribe/" in mail[0].text
    assert all(a.mailed_at is not None for a in db.session.scalars(select(Alert)))  # nothing left for a digest
    assert mails.send_digests().users == 0


def test_digests_wait_for_their_period(app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any],
                                       subscribe: Callable[..., Subscription]) -> None:
    make_posting("result")
    reader = make_user("researcher", email="r@example.com", email_verified=True)
    subscribe(reader, q="氟橡胶", target_kind="need")
    _publish_need(make_user, make_posting)
    assert mails.send_digests().users == 1
    _publish_need(make_user, make_posting, title="氟橡胶密封圈耐油改性")
    assert mails.send_digests().users == 0  # a day has not passed since the last digest
    assert mails.send_digests(now=utcnow() + timedelta(hours=23, minutes=30)).alerts == 1
