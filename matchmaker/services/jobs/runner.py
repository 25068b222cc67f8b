"""Run one job by id: look up its handler, report progress, record the outcome.

A handler is `handler(job: Job, progress: Callable[[int, int], None]) -> dict` (the result, JSON). A DomainError
it raises is the user's failure (its localized message is kept for the page); anything else is logged with the
job's id only, and the page says the job failed.
"""
from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import Job
from matchmaker.services.errors import DomainError
from matchmaker.services.jobs.store import HANDLERS, mark, report

log = logging.getLogger(__name__)
REPORT_EVERY = 0.5  # seconds between progress writes


def _handler(kind: str) -> Callable[..., dict[str, Any]]:
    module, _sep, name = HANDLERS[kind].partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def run(job_id: str) -> None:
    """Execute the job (in whichever process the backend chose), never raising."""
    job = db.session.get(Job, job_id)
    if job is None or job.status not in ("queued",):
        return
    mark(job_id, "running")
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= REPORT_EVERY or done >= total:
            last[0] = now
            report(job_id, done, total)

    try:
        result = _handler(job.kind)(job, progress)
    except DomainError as exc:
        db.session.rollback()
        details = getattr(exc, "details", None) or []
        mark(job_id, "failed", result={"details": [str(d) for d in details]}, error=str(exc.message))
    except Exception:  # a job must end with a status, whatever went wrong
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        mark(job_id, "failed", error=str(_l("后台任务出错，请稍后重试或联系管理员。")))
    else:
        mark(job_id, "done", result=result)
