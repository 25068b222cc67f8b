"""E-mail leaves soon after it is queued: a commit that wrote outbox rows starts one delivery job.

The rows are written in the same transaction as the change that causes them (nothing is sent for a change that
rolled back); when the request, command or job that committed them ends, a `deliver_mail` job is handed to the
job backend (a thread of this process by default, RQ when configured). `flask send-mail` stays the fallback pass
for retries and for MAIL_DELIVERY = "cron".
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.models import Job, OutgoingMail
from matchmaker.services.jobs import queue as jobs

log = logging.getLogger(__name__)
FLUSHED, COMMITTED = "mail_flushed", "mail_committed"


def init_app(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (Flask runs them in reverse order)
    # and the session is still there.
    app.teardown_appcontext(_dispatch)


@event.listens_for(Session, "after_flush")
def _note_new_mail(session: Session, _context: Any) -> None:
    if any(isinstance(row, OutgoingMail) for row in session.new):
        session.info[FLUSHED] = True


@event.listens_for(Session, "after_commit")
def _mail_committed(session: Session) -> None:
    if session.info.pop(FLUSHED, False):
        session.info[COMMITTED] = True


@event.listens_for(Session, "after_rollback")
def _mail_rolled_back(session: Session) -> None:
    session.info.pop(FLUSHED, None)


def _dispatch(_exc: BaseException | None) -> None:
    if not db.session.registry.has():
        return
    session = db.session()
    if not session.info.pop(COMMITTED, False):
        return
    cfg = current_app.config
    if cfg["MAIL_DELIVERY"] != "job" or not cfg["MAIL_SERVER"]:
        return
    try:
        session.rollback()  # whatever the caller left uncommitted is discarded, as the teardown would
        waiting = session.scalar(select(Job.id).where(Job.kind == "deliver_mail", Job.status == "queued").limit(1))
        if waiting is None:  # a queued pass will see these rows too; a running one may have listed its rows already
            jobs.enqueue("deliver_mail", None, {})
    except (SQLAlchemyError, OSError) as exc:  # the rows wait for the next job or `flask send-mail`
        session.rollback()
        log.warning("e-mail delivery job not started (%s); the outbox keeps the messages", type(exc).__name__)
