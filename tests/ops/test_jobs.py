"""Background jobs: an Excel import checked and written as jobs with progress, and e-mail delivery, inline, in a
thread and on RQ."""
from __future__ import annotations

import io
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Job, Organization, OutgoingMail, User
from matchmaker.models._base import utcnow
from matchmaker.services.io import import_jobs, imports
from matchmaker.services.io import rows as import_rows
from matchmaker.services.jobs import queue as jobs
from matchmaker.services.mail.outbox import queue_mail
from tests.conftest import login, make_app, wait_for_job
from tests.excel.helpers import workbook_bytes
from tests.mailbox import Mailbox, SmtpServer

CODES = ("914403001922038216", "9144030071526726XG", "12100000400000624D", "91440101MA5CJQ4N59")


def _workbook(count: int) -> bytes:
    headers = import_rows.headers("organization")
    rows = [list((dict.fromkeys(headers, None) | {"单位名称": f"淄博测试{i}号科技有限公司", "单位类型": "企业",
                                                  "统一社会信用代码": CODES[i]}).values()) for i in range(count)]
    return workbook_bytes(headers, *rows)


def _orgs() -> int:
    return db.session.scalar(select(func.count()).select_from(Organization)) or 0


def _upload(client: FlaskClient, data: bytes) -> Any:
    return client.post("/io/import", data={"kind": "organization", "file": (io.BytesIO(data), "orgs.xlsx")},
                       content_type="multipart/form-data")


def test_the_preview_and_the_confirmation_reuse_the_check_job(
        client: FlaskClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch) -> None:
    login(client, make_user("staff"))
    calls: list[int] = []
    real = imports.check_rows

    def counted(kind: str, rows: list[dict[str, Any]], progress: Any = None) -> Any:
        calls.append(len(rows))
        return real(kind, rows, progress)

    monkeypatch.setattr(imports, "check_rows", counted)
    before = _orgs()
    job_page = _upload(client, _workbook(3)).headers["Location"]
    preview_url = client.get(job_page).headers["Location"]
    assert client.get(preview_url).status_code == 200
    confirm = client.post(preview_url + "/confirm", data={"skip_duplicates": "y"})
    assert client.get(confirm.headers["Location"]).status_code == 302
    assert calls == [3], "rows are checked once, by the check job"
    assert _orgs() == before + 3
    job = db.session.scalar(select(Job).where(Job.kind == "import_check"))
    assert job is not None and job.status == "done" and job.total == 3 and job.done == 3


def test_a_row_that_became_invalid_after_the_preview_fails_the_whole_write(
        client: FlaskClient, make_user: Callable[..., User], make_org: Callable[..., Organization]) -> None:
    login(client, make_user("staff"))
    preview_url = client.get(_upload(client, _workbook(2)).headers["Location"]).headers["Location"]
    make_org(credit_code=CODES[1])  # registered by someone else meanwhile
    before = _orgs()
    page = client.get(client.post(preview_url + "/confirm", data={}).headers["Location"])
    assert page.status_code == 200
    assert "预览之后数据库已有变化" in page.get_data(as_text=True)
    assert _orgs() == before, "nothing half-written"


def test_someone_elses_job_is_not_found(client: FlaskClient, make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    other = make_user("researcher")
    db.session.add(Job(id="f" * 32, kind="import_check", owner_id=staff.id, params={}))
    db.session.commit()
    login(client, other)
    assert client.get("/jobs/" + "f" * 32).status_code == 404
    assert client.get("/jobs/" + "f" * 32 + ".json").status_code == 404


def test_a_job_whose_process_died_shows_as_interrupted(client: FlaskClient, make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    stale = utcnow() - timedelta(hours=1)
    db.session.add(Job(id="e" * 32, kind="import_check", owner_id=staff.id, params={}, status="running",
                       created_at=stale, beat_at=stale))
    db.session.commit()
    login(client, staff)
    assert "任务已中断" in client.get("/jobs/" + "e" * 32).get_data(as_text=True)
    assert client.get("/jobs/" + "e" * 32 + ".json").get_json()["status"] == "failed"


def test_the_progress_page_refreshes_while_the_job_runs(client: FlaskClient, make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    db.session.add(Job(id="d" * 32, kind="import_check", owner_id=staff.id, params={}, status="running",
                       done=40, total=100, beat_at=utcnow()))
    db.session.commit()
    login(client, staff)
    html = client.get("/jobs/" + "d" * 32).get_data(as_text=True)
    assert 'http-equiv="refresh"' in html and 'value="40"' in html and "40 / 100" in html


@pytest.mark.parametrize("backend", ["thread"])
def test_the_embedded_backend_runs_jobs_in_a_background_thread(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User], backend: str) -> None:
    staff = make_user("staff")
    threaded = make_app(database_url, tmp_path / "threaded", JOBS_BACKEND=backend)
    with threaded.app_context():
        user = db.session.get(User, staff.id)
        job = import_jobs.start_import("organization", "orgs.xlsx", _workbook(4), user)
        assert job.status == "queued"
        done = wait_for_job(job.id)
        assert done.status == "done", done.error
        assert done.total == 4 and (done.result or {})["valid"] == 4
        db.session.remove()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real Redis server on a free loopback port (Debian's redis-server; `make test` installs it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (make test installs Debian's redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        from redis import Redis

        client = Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_jobs_go_through_rq_on_a_real_redis_and_a_worker_runs_them(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User], redis_url: str) -> None:
    staff = make_user("staff")
    queued_app = make_app(database_url, tmp_path / "rq", JOBS_BACKEND="", REDIS_URL=redis_url)
    with queued_app.app_context():
        assert jobs.backend() == "rq"
        user = db.session.get(User, staff.id)
        job = import_jobs.start_import("organization", "orgs.xlsx", _workbook(2), user)
        assert jobs.rq_queue().count == 1
        assert db.session.get(Job, job.id).status == "queued"
        worked = queued_app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])
        assert worked.exit_code == 0, worked.output
        done = wait_for_job(job.id, 10)
        assert done.status == "done" and done.total == 2
        db.session.remove()


def _mail_app(database_url: str, instance: Path, mailbox: Mailbox, **overrides: Any) -> Flask:
    return make_app(database_url, instance, **({"MAIL_DELIVERY": "job", "MAIL_SERVER": mailbox.host,
                                                "MAIL_PORT": mailbox.port} | overrides))


def _delivery_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(select(Job).where(Job.kind == "deliver_mail").order_by(Job.created_at)))


def _arrived(mailbox: Mailbox, count: int, seconds: float = 20) -> list[str]:
    deadline = time.monotonic() + seconds
    while len(mailbox.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return [to for got in mailbox.received for to in got.rcpt_tos]


def test_mail_a_request_queued_leaves_through_a_delivery_job_with_no_send_mail_pass(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User]) -> None:
    make_user("researcher", email="forgot@example.com", email_verified=True)
    with SmtpServer() as mailbox:
        site = _mail_app(database_url, tmp_path / "threaded", mailbox, JOBS_BACKEND="thread").test_client()
        assert site.get("/").status_code == 200
        assert _delivery_jobs() == [], "a request that queued no mail starts no job"
        assert site.post("/account/forgot", data={"email": "forgot@example.com"}).status_code == 200
        assert _arrived(mailbox, 1) == ["forgot@example.com"]
        assert "/account/reset/" in mailbox.received[0].text
        (job,) = _delivery_jobs()
        job = wait_for_job(job.id)
        assert job.status == "done" and (job.result or {})["sent"] == 1
        sent = db.session.scalar(select(OutgoingMail).where(OutgoingMail.to == "forgot@example.com"))
        assert sent is not None and sent.status == "sent"
        db.session.remove()


def test_no_delivery_job_for_mail_rolled_back_or_when_cron_sends(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user("researcher", email="cron@example.com", email_verified=True)
    with SmtpServer() as mailbox:
        rolled_back = _mail_app(database_url, tmp_path / "rollback", mailbox, JOBS_BACKEND="inline")
        with rolled_back.app_context():
            queue_mail(db.session.get(User, user.id), "password_changed", {"link": "http://x.example/"})
            db.session.flush()
            db.session.rollback()
        by_cron = _mail_app(database_url, tmp_path / "cron", mailbox, JOBS_BACKEND="inline", MAIL_DELIVERY="cron")
        assert by_cron.test_client().post("/account/forgot", data={"email": "cron@example.com"}).status_code == 200
        assert _delivery_jobs() == [] and mailbox.received == []
        waiting = db.session.scalar(select(OutgoingMail).where(OutgoingMail.to == "cron@example.com"))
        assert waiting is not None and waiting.status == "queued" and waiting.template == "password_reset"
        with by_cron.app_context():
            sent = by_cron.test_cli_runner().invoke(args=["send-mail"])
        assert "sent: 1" in sent.output and _arrived(mailbox, 1) == ["cron@example.com"]
        db.session.remove()


def test_mail_delivery_goes_through_rq_once_however_many_requests_queue_mail(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User], redis_url: str) -> None:
    for name in ("first", "second"):
        make_user("company", email=f"{name}@example.com", email_verified=True)
    with SmtpServer() as mailbox:
        queued_app = _mail_app(database_url, tmp_path / "rq-mail", mailbox, JOBS_BACKEND="", REDIS_URL=redis_url)
        site = queued_app.test_client()
        for name in ("first", "second"):
            assert site.post("/account/forgot", data={"email": f"{name}@example.com"}).status_code == 200
        with queued_app.app_context():
            assert jobs.rq_queue().count == 1, "a pass still queued covers the later mail too"
        assert mailbox.received == []
        with queued_app.app_context():
            worked = queued_app.test_cli_runner().invoke(args=["jobs-worker", "--burst"])
        assert worked.exit_code == 0, worked.output
        assert sorted(_arrived(mailbox, 2)) == ["first@example.com", "second@example.com"]
        (job,) = _delivery_jobs()
        assert wait_for_job(job.id).status == "done"
        db.session.remove()
