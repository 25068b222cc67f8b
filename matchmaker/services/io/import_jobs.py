"""Excel imports as background jobs: check the rows of an upload, then write them, each with progress.

The upload itself is read in the request (a hostile or malformed file is refused on the page at once); the
slow parts, checking every row and writing them, run as jobs (services/jobs) whose progress the page follows.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import Job, User
from matchmaker.services.errors import NotFound
from matchmaker.services.io import imports
from matchmaker.services.jobs import queue as jobs
from matchmaker.services.permissions import require_staff

CHANGED_SINCE_PREVIEW = _l("预览之后数据库已有变化（例如同一信用代码已登记），本次未写入任何数据，请重新上传。")


def start_import(kind: str, filename: str, data: bytes, actor: User | None) -> Job:
    """Read the upload now (a bad file is refused at once), check its rows in a background job."""
    user = require_staff(actor)
    rows = imports.read_upload(kind, data)
    token = imports.store(user, kind, filename, rows)
    return jobs.enqueue("import_check", user, {"token": token})


def check_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """The import_check job: check every stored row once and keep the checks with the upload."""
    user = _job_owner(job)
    token = str(job.params["token"])
    payload = imports.load_stored(token, user)
    checks = imports.check_rows(payload["kind"], payload["rows"], _steps(progress, len(payload["rows"])))
    imports.save_checks(token, payload, checks)
    return {"token": token, "rows": len(checks), "valid": sum(1 for c in checks if c.clean is not None)}


def start_confirm(token: str, actor: User | None, *, skip_duplicates: bool = True) -> Job:
    """Write the checked rows in a background job (the token is checked now, so a stale one fails at once)."""
    user = require_staff(actor)
    imports.load_stored(token, user)
    return jobs.enqueue("import_write", user, {"token": token, "skip_duplicates": skip_duplicates})


def write_job(job: Job, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """The import_write job: one transaction with every valid row, as previewed."""
    user = _job_owner(job)
    preview = imports.load_preview(str(job.params["token"]), user)
    skip = bool(job.params.get("skip_duplicates", True))
    try:
        report = imports.confirm_import(preview.token, user, skip_duplicates=skip,
                                        progress=_steps(progress, len(preview.rows)), preview=preview)
    except IntegrityError as exc:
        db.session.rollback()
        raise imports.ImportRefused(CHANGED_SINCE_PREVIEW) from exc
    return {"created": report.created, "skipped": report.skipped}


def _job_owner(job: Job) -> User:
    user = db.session.get(User, job.owner_id) if job.owner_id else None
    if user is None:
        raise NotFound(_l("找不到发起导入的账号。"))
    return user


def _steps(progress: Callable[[int, int], None], total: int) -> Callable[[int], None]:
    """The import's step-wise progress (rows since the last call) as the job's done-of-total."""
    seen = [0]

    def step(n: int) -> None:
        seen[0] += n
        progress(seen[0], total)
    return step
