"""Start background jobs and follow them.

A job is a row (models/job.py) plus a handler named in HANDLERS. Where it runs depends on JOBS_BACKEND:
- "rq": an RQ queue on Redis (REDIS_URL); `flask jobs-worker` runs them. Several app nodes share one queue.
- "thread": the embedded default for `make run` (no extra service): one background thread per app process.
- "inline": at once, in the caller (tests and the CLI, which show progress themselves).
"" picks "rq" when REDIS_URL is set, else "thread". Progress is written on its own connection, best effort:
a job's own transaction is never committed early to report it.
"""
from __future__ import annotations

import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from flask import Flask, current_app

from matchmaker.extensions import db
from matchmaker.models import Job, User
from matchmaker.models._base import as_utc, utcnow
from matchmaker.services.errors import NotFound
from matchmaker.services.jobs.runner import run
from matchmaker.services.jobs.store import HANDLERS
from matchmaker.services.permissions import require_user

log = logging.getLogger(__name__)
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def backend() -> str:
    chosen = str(current_app.config.get("JOBS_BACKEND") or "")
    if chosen:
        return chosen
    return "rq" if current_app.config.get("REDIS_URL") else "thread"


def enqueue(kind: str, owner: User | None, params: dict[str, Any]) -> Job:
    """Record the job (committed, so any process can see it) and hand it to the backend."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(id=secrets.token_hex(16), kind=kind, owner_id=owner.id if owner else None, params=params)
    db.session.add(job)
    db.session.commit()
    chosen = backend()
    if chosen == "inline":
        run(job.id)
        db.session.refresh(job)
    elif chosen == "rq":
        rq_queue().enqueue("matchmaker.services.jobs.runner.run", job.id, job_id=job.id,
                           job_timeout=int(current_app.config["JOB_TIMEOUT_SECONDS"]))
    else:
        _pool(current_app._get_current_object()).submit(_run_in_app,  # type: ignore[attr-defined]
                                                        current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return job


def rq_queue() -> Any:
    """The RQ queue of this deployment (imported lazily: RQ and Redis are only needed when configured)."""
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))


def _pool(app: Flask) -> ThreadPoolExecutor:
    with _pools_lock:
        if id(app) not in _pools:
            _pools[id(app)] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="matchmaker-job")
        return _pools[id(app)]


def _run_in_app(app: Flask, job_id: str) -> None:
    with app.app_context():
        run(job_id)


def job_for(job_id: str, actor: User | None) -> Job:
    """A job its owner (or staff) may follow; anyone else gets a 404."""
    user = require_user(actor)
    job = db.session.get(Job, job_id) if len(job_id) == 32 else None
    if job is None or (job.owner_id != user.id and not user.is_staff):
        raise NotFound("job not found")
    db.session.refresh(job)
    return job


def is_stalled(job: Job) -> bool:
    """A running job that stopped reporting (its process died): shown as failed, never as forever running."""
    if job.status not in ("queued", "running"):
        return False
    silent = utcnow() - as_utc(job.beat_at or job.created_at)
    return silent > timedelta(seconds=int(current_app.config["JOB_STALL_SECONDS"]))
