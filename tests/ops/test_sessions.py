"""Sign-in sessions live on the server: logout, idle and absolute lifetimes, sign out everywhere."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User, UserSession
from matchmaker.models._base import utcnow
from tests.conftest import PASSWORD

PRIVATE = "/auth/tokens"


def _sign_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PRIVATE).status_code == 200
    return client


def _signed_in(client: FlaskClient) -> bool:
    response = client.get(PRIVATE)
    return response.status_code == 200


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_logout_ends_the_session_on_the_server(app: Flask, make_user: Callable[..., User]) -> None:
    client = _sign_in(app, make_user("company"))
    stolen = _cookie(client)
    client.post("/auth/logout")
    assert not _signed_in(client)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not _signed_in(replay), "an old copy of the cookie must not work after logout"


def test_an_idle_session_ends(app: Flask, make_user: Callable[..., User]) -> None:
    client = _sign_in(app, make_user("company"))
    row = db.session.scalar(select(UserSession))
    assert row is not None
    row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert not _signed_in(client)


def test_a_busy_session_still_ends_after_its_absolute_lifetime(app: Flask, make_user: Callable[..., User]) -> None:
    client = _sign_in(app, make_user("company"))
    row = db.session.scalar(select(UserSession))
    assert row is not None
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert not _signed_in(client)


def test_activity_keeps_a_session_alive_without_a_write_per_request(app: Flask,
                                                                     make_user: Callable[..., User]) -> None:
    client = _sign_in(app, make_user("company"))
    row = db.session.scalar(select(UserSession))
    assert row is not None
    seen = row.last_seen_at
    assert _signed_in(client)
    db.session.refresh(row)
    assert row.last_seen_at == seen, "a page within a minute does not rewrite last_seen_at"
    row.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert _signed_in(client)
    db.session.refresh(row)
    assert utcnow() - row.last_seen_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)


def test_sign_out_everywhere_ends_every_session_and_is_audited(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user("researcher")
    laptop, phone = _sign_in(app, user), _sign_in(app, user)
    page = laptop.get("/auth/sessions")
    assert page.get_data(as_text=True).count("<tr>") == 3  # header + two sessions
    laptop.post("/auth/sessions/end-all")
    assert not _signed_in(laptop)
    assert not _signed_in(phone)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "logout_everywhere"))
    assert entry is not None


def test_a_cookie_signed_with_the_real_key_but_no_session_signs_nobody_in(
        app: Flask, make_user: Callable[..., User]) -> None:
    admin = make_user("admin")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin.id)
        session["_fresh"] = True
    assert client.get("/admin/users").status_code == 302
