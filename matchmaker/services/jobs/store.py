"""Job rows: which handler runs each kind, and progress and status written on a connection of their own."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.extensions import db
from matchmaker.models import Job
from matchmaker.models._base import utcnow

log = logging.getLogger(__name__)
# kind -> "module:function"; resolved when the job runs, so this kernel module imports no domain.
HANDLERS = {
    "import_check": "matchmaker.services.io.import_jobs:check_job",
    "import_write": "matchmaker.services.io.import_jobs:write_job",
    "deliver_mail": "matchmaker.services.mail.delivery:delivery_job",
    "match_stats": "matchmaker.services.goals.match_stats:refresh_job",
}


def report(job_id: str, done: int, total: int) -> None:
    """Progress, on a connection of its own; skipped (not fatal) while the database is busy."""
    try:
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == job_id).values(done=done, total=total, beat_at=utcnow()))
    except SQLAlchemyError as exc:
        log.debug("progress of job %s not recorded: %s", job_id, type(exc).__name__)


def mark(job_id: str, status: str, *, result: dict[str, Any] | None = None, error: str = "") -> None:
    """Move a job to `status` on a connection of its own (the job's session may be mid-transaction)."""
    values: dict[str, Any] = {"status": status, "beat_at": utcnow()}
    if status == "running":
        values["started_at"] = utcnow()
    if status in ("done", "failed"):
        values.update(finished_at=utcnow(), result=result, error=error[:1000])
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(**values))
