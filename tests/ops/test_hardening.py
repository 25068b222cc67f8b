"""Production safety: secret key required, HSTS over HTTPS, hostile JSON bodies, storage outages as 503."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from matchmaker import MissingSecretKey, create_app
from matchmaker.api.auth import json_depth
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Need, User
from matchmaker.services import accounts
from tests.conftest import PASSWORD, app_settings, need_data
from tests.web.test_forms import _need_form


@pytest.mark.parametrize("key", ["", "dev-only-change-me"])
def test_production_refuses_to_start_without_a_secret_key(database_url: str, tmp_path: Path, key: str) -> None:
    settings = {**app_settings(database_url), "TESTING": False, "SECRET_KEY": key}
    with pytest.raises(MissingSecretKey):
        create_app(settings, instance_path=str(tmp_path))


def test_tests_and_debug_get_a_random_key(database_url: str, tmp_path: Path) -> None:
    first = create_app({**app_settings(database_url), "SECRET_KEY": ""}, instance_path=str(tmp_path / "a"))
    second = create_app({**app_settings(database_url), "SECRET_KEY": ""}, instance_path=str(tmp_path / "b"))
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]


def test_a_session_forged_with_the_old_default_key_opens_nothing(app: Flask, make_user: Callable[..., User]) -> None:
    from flask.sessions import SecureCookieSessionInterface

    admin = make_user("admin")
    forger = Flask("forger")
    forger.secret_key = "dev-only-change-me"
    cookie = SecureCookieSessionInterface().get_signing_serializer(forger).dumps(  # type: ignore[union-attr]
        {"_user_id": str(admin.id), "_fresh": True})
    client = app.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/admin/users")
    assert response.status_code in (302, 401, 403)
    assert "/auth/login" in response.headers.get("Location", "/auth/login")


def test_hsts_only_when_served_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def token(app: Flask, make_user: Callable[..., User]) -> str:
    user = make_user("researcher")
    _row, plain = accounts.create_api_token(user, "t")
    return plain


def test_json_depth_counts_only_structure() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[["') == 0
    assert json_depth(b"[" * 50 + b"]" * 50) == 50


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    json.dumps({"title": "x" * (2 * 1024 * 1024)}),
    '{"a":' * 5000 + "1" + "}" * 5000,
])
def test_hostile_json_bodies_answer_400_never_500(client: FlaskClient, token: str, body: str) -> None:
    response = client.post("/api/v1/results", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.get_json()["code"] == "bad_request"
    assert db.session.scalar(select(ApiToken).where(ApiToken.revoked.is_(False))) is not None


def _make_storage_read_only(engine: Any) -> Callable[..., None]:
    def read_only(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
        cursor.close()
        if not type(dbapi_connection).__module__.startswith("sqlite3"):
            dbapi_connection.commit()
    event.listen(engine, "connect", read_only)
    db.session.remove()
    engine.dispose()
    return read_only


def test_a_read_only_database_gives_a_localized_503_and_loses_nothing(
        app: Flask, client: FlaskClient, make_user: Callable[..., User], make_posting: Callable[..., Any],
        default_chains: list[Any]) -> None:
    user = make_user("company")
    _row, token = accounts.create_api_token(user, "t")
    kept = make_posting("need", owner=user, status="published")
    kept_id, kept_title, chain_id = kept.id, kept.title, default_chains[0].id
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    listener = _make_storage_read_only(db.engine)
    try:
        page = client.post("/needs/new", data=_need_form(chain_id, title="只读时提交的需求"))
        api = client.post("/api/v1/needs", json=need_data(chain_id, title="只读时提交的需求"),
                          headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(db.engine, "connect", listener)
        db.session.remove()
        db.engine.dispose()
    assert page.status_code == 503
    assert "系统存储暂时不可用" in page.get_data(as_text=True)
    assert api.status_code == 503
    assert api.get_json()["code"] == "service_unavailable"
    assert "系统存储暂时不可用" in api.get_json()["message"]
    assert db.session.get(Need, kept_id).title == kept_title
    assert db.session.scalar(select(Need).where(Need.title == "只读时提交的需求")) is None
