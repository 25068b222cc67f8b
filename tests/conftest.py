"""Shared fixtures: an app on SQLite or PostgreSQL (MATCHMAKER_TEST_DATABASE_URL), factories, login."""
from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import Chain, Job, Membership, Need, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.services import chains
from matchmaker.services.accounts import hash_password
from matchmaker.services.credit_code import ALPHABET, check_character
from matchmaker.services.matching import change_log
from matchmaker.services.matching import index as match_index
from matchmaker.services.signin import sessions

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "papers.jsonl"
PASSWORD = "Correct-Horse-42"


def app_settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "CORPUS_DIR": str(ROOT / "corpus"), "JOBS_BACKEND": "inline", "MATCH_INDEX_MAX_STALENESS": 0.0,
            "MAIL_DELIVERY": "cron", "MATCH_INDEX_FREEZE_GC": False,
            **overrides}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("MATCHMAKER_TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def _schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Apply the real migrations once per run, so they are tested on both databases."""
    from flask_migrate import downgrade, upgrade

    app = create_app(app_settings(database_url), instance_path=str(tmp_path_factory.mktemp("schema")))
    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.drop_all()
        upgrade()
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()


def _truncate() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata
    db.session.commit()


def make_app(database_url: str, instance: Path, **overrides: Any) -> Flask:
    return create_app(app_settings(database_url, **overrides), instance_path=str(instance))


def wait_for_job(job_id: str, seconds: float = 60) -> Job:
    """The job once it has ended (done or failed), read afresh; fails the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job is not None and job.status in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job did not finish in {seconds} s")


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url: str, _schema: None, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path / "instance", **app_config)
    with application.app_context():
        try:
            yield application
        finally:
            db.session.rollback()
            match_index.forget()
            _truncate()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def default_chains(app: Flask) -> list[Chain]:
    chains.load_default_chains(app.config["CORPUS_DIR"])
    return chains.list_chains()


_counter = itertools.count(1)


def valid_credit_code(region: str = "370303", rng: random.Random | None = None) -> str:
    rng = rng or random.Random(next(_counter))
    body = "91" + region + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organization]:
    def factory(**overrides: Any) -> Organization:
        n = next(_counter)
        code = overrides.pop("credit_code", None) or valid_credit_code(overrides.pop("region", "370303"))
        fields = {"name": f"测试单位{n}", "kind": "company", **overrides}
        org = Organization(credit_code=code, region_code=code[2:8], **fields)
        db.session.add(org)
        db.session.commit()
        return org
    return factory


@pytest.fixture
def make_user(app: Flask, make_org: Callable[..., Organization]) -> Callable[..., User]:
    def factory(role: str = "researcher", org: Organization | None = None, **overrides: Any) -> User:
        """membership="active" (default) | "pending" | None; member_role="member" | "manager"."""
        n = next(_counter)
        membership = overrides.pop("membership", "active")
        member_role = overrides.pop("member_role", "member")
        if org is None and role != "admin":
            kind = {"researcher": "university", "company": "company"}.get(role, "bureau")
            org = make_org(kind=kind)
        user = User(username=overrides.pop("username", f"user{n}"), role=role, org=org,
                    display_name=overrides.pop("display_name", f"用户{n}"),
                    password_hash=hash_password(overrides.pop("password", PASSWORD)), **overrides)
        db.session.add(user)
        if org is not None and membership:
            db.session.add(Membership(user=user, org=org, role=member_role, status=membership))
        db.session.commit()
        return user
    return factory


def result_data(chain_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "耐高温氟橡胶密封材料", "chain_id": chain_id, "keywords": ["氟橡胶", "密封件"],
        "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。",
        "innovations": "硫化体系无铅化。", "indicators": "拉伸强度不低于十五兆帕。", "trl": 6, "stage": "pilot",
        "ip_type": "invention", "patent_numbers": "ZL202310000001.1", "modes": ["license", "transfer"],
        "price_wan": "80", "contact_name": "王工", "contact_phone": "13812345678",
        "contact_email": "wang@example.edu.cn",
    }
    data.update(overrides)
    return data


def need_data(chain_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "汽车发动机用耐高温密封件国产化", "chain_id": chain_id, "keywords": ["密封件", "耐高温"],
        "problem": "现用进口氟橡胶密封件价格高、交期长，需要可在二百摄氏度以上长期工作的国产密封材料。",
        "targets": "压缩永久变形小于百分之二十。", "need_type": "rd", "budget_wan": "50",
        "deadline": "2030-12-31", "modes": ["joint"], "trl_min": 5, "contact_name": "李经理",
        "contact_phone": "13987654321", "contact_email": "li@example.com",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_posting(app: Flask, default_chains: list[Chain], make_user: Callable[..., User]) -> Callable[..., Any]:
    """make_posting("result", owner=None, status="published", **fields) inserts directly (no service)."""
    from matchmaker.services.postings.rules import clean_posting

    def factory(kind: str = "result", owner: User | None = None, status: str = "published", **overrides: Any
                ) -> Result | Need:
        owner = owner or make_user("researcher" if kind == "result" else "company")
        builder = result_data if kind == "result" else need_data
        chain_id = overrides.pop("chain_id", default_chains[0].id)
        clean, errors = clean_posting(kind, builder(chain_id, **overrides))
        assert not errors.errors, errors.errors
        model = Result if kind == "result" else Need
        posting = model(**clean, owner_id=owner.id, org_id=owner.org_id, status=status,
                        published_at=utcnow() if status == "published" else None, submitted_at=utcnow())
        db.session.add(posting)
        if status == "published":
            change_log.posting_changed(posting)
        db.session.commit()
        return posting
    return factory


def login(client: FlaskClient, user: User) -> FlaskClient:
    """Sign a test client in as `user` without going through the form."""
    sid = sessions.start(user)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["sid"] = sid
    return client


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on loopback; the app is configured to deliver to it."""
    from tests.mailbox import SmtpServer

    with SmtpServer() as mailbox:
        app.config.update(MAIL_SERVER=mailbox.host, MAIL_PORT=mailbox.port,
                          MAIL_SENDER="科技成果转化对接平台 <platform@kjj.example.cn>")
        yield mailbox
