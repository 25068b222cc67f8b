"""SMTP delivery of the outbox: one pass over due messages, with retries and exponential backoff."""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail
from matchmaker.models._base import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendReport:
    """What one pass did; `configured` is False when no SMTP server is set (nothing was tried)."""

    configured: bool
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """Plain text with an HTML alternative, in the language it was rendered in."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "localhost")
    if mail.list_unsubscribe:
        msg["List-Unsubscribe"] = f"<{mail.list_unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    msg["Content-Language"] = "en" if mail.language == "en" else "zh-CN"  # after set_content, which drops it
    return msg


def _connect(cfg: Any) -> smtplib.SMTP:
    timeout = cfg["MAIL_TIMEOUT"]
    if cfg["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=timeout,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=timeout)
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if cfg["MAIL_USERNAME"]:
        smtp.login(str(cfg["MAIL_USERNAME"]), str(cfg["MAIL_PASSWORD"]))
    return smtp


def _due_ids(now: datetime, limit: int) -> list[int]:
    query = (select(OutgoingMail.id).where(OutgoingMail.status == "queued", OutgoingMail.next_attempt_at <= now)
             .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit))
    return list(db.session.scalars(query))


def _claim(mail_id: int, now: datetime) -> OutgoingMail | None:
    """The message, locked until this pass commits it, unless an overlapping pass already has it (PostgreSQL;
    SQLite writers are serialized anyway)."""
    query = (select(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.status == "queued",
                                        OutgoingMail.next_attempt_at <= now)
             .with_for_update(skip_locked=True))
    return db.session.scalar(query)


def _failed_attempt(mail: OutgoingMail, error: Exception, now: datetime) -> str:
    """Count the attempt; back off exponentially, or give up after MAIL_MAX_ATTEMPTS."""
    cfg = current_app.config
    mail.attempts += 1
    # The class and text of the SMTP error, for administrators; it goes to the table, never to the log.
    mail.last_error = f"{type(error).__name__}: {error}"[:500]
    if mail.attempts >= cfg["MAIL_MAX_ATTEMPTS"]:
        mail.status = "failed"
        return "failed"
    mail.next_attempt_at = now + timedelta(seconds=cfg["MAIL_RETRY_SECONDS"] * 2 ** (mail.attempts - 1))
    return "retrying"


def waiting_count() -> int:
    return db.session.scalar(select(func.count(OutgoingMail.id)).where(OutgoingMail.status == "queued")) or 0


def send_due(now: datetime | None = None) -> SendReport:
    """Send every queued message that is due, one commit per message so a crash never resends a sent one."""
    cfg = current_app.config
    if not cfg["MAIL_SERVER"]:
        return SendReport(configured=False, waiting=waiting_count())
    now = now or utcnow()
    outcome = {"sent": 0, "retrying": 0, "failed": 0}
    smtp: smtplib.SMTP | None = None
    try:
        for mail_id in _due_ids(now, cfg["MAIL_BATCH_SIZE"]):
            mail = _claim(mail_id, now)
            if mail is None:
                continue
            try:
                smtp = smtp or _connect(cfg)
            except (OSError, smtplib.SMTPException) as exc:
                # The server is unreachable: this message records why; the rest wait for the next pass.
                outcome[_failed_attempt(mail, exc, now)] += 1
                db.session.commit()
                log.warning("send-mail: cannot reach the SMTP server (%s)", type(exc).__name__)
                break
            try:
                smtp.send_message(build_message(mail, cfg["MAIL_SENDER"]))
            except (OSError, smtplib.SMTPException) as exc:
                outcome[_failed_attempt(mail, exc, now)] += 1
                smtp = _drop(smtp, exc)
            else:
                _sent(mail)
                outcome["sent"] += 1
            db.session.commit()
    finally:
        _drop(smtp, None)
    log.info("send-mail: sent %(sent)d, retrying %(retrying)d, failed %(failed)d", outcome)
    return SendReport(configured=True, waiting=waiting_count(), **outcome)


def delivery_job(job: object, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """The deliver_mail job: one pass over the outbox, started after a commit that queued e-mail."""
    report = send_due()
    handled = report.sent + report.retrying + report.failed
    progress(handled, handled)
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed, "waiting": report.waiting}


def _sent(mail: OutgoingMail) -> None:
    mail.attempts += 1
    mail.status = "sent"
    mail.sent_at = utcnow()
    mail.last_error = ""


def _drop(smtp: smtplib.SMTP | None, error: Exception | None) -> smtplib.SMTP | None:
    """Close the connection after a connection-level error (the next message reconnects) or at the end;
    a refused recipient keeps it open."""
    if smtp is None or isinstance(error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
        return smtp
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
    return None
