"""Sign-in throttling: growing delays per (name, address) and per address; nobody can lock anyone else out."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import LoginThrottle, User
from matchmaker.services import accounts
from matchmaker.services.errors import AuthenticationFailed
from matchmaker.services.signin import throttle
from tests.conftest import PASSWORD

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def _try(client: FlaskClient, username: str, password: str, address: str) -> str:
    response = client.post("/auth/login", data={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.headers.get("Location", "") or response.get_data(as_text=True)


def test_delays_grow_after_the_free_failures(app: Flask) -> None:
    free = app.config["LOGIN_FREE_FAILURES"]
    assert [throttle.delay(free + n, free).total_seconds() for n in range(0, 5)] == [0, 1, 2, 4, 8]
    assert throttle.delay(free + 40, free) == timedelta(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"])


def test_an_attacker_slows_down_only_themselves(app: Flask, make_user: Callable[..., User]) -> None:
    admin = make_user("admin", username="admin")
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(12):
        _try(attacker, "admin", "guess-" + PASSWORD, ATTACKER)
    assert "尝试过于频繁" in _try(attacker, "admin", PASSWORD, ATTACKER), "even the right password must wait"
    assert _try(owner, "admin", PASSWORD, OWNER) == "/"  # the owner, elsewhere, signs in at once
    db.session.refresh(admin)
    assert not admin.is_locked


def test_unknown_names_are_throttled_like_real_ones(app: Flask, client: FlaskClient,
                                                    make_user: Callable[..., User]) -> None:
    make_user("company", username="realname")
    free = app.config["LOGIN_FREE_FAILURES"]
    answers = {}
    for name in ("realname", "nosuchname"):
        for _ in range(free + 1):
            _try(app.test_client(), name, "wrong-" + PASSWORD, f"192.0.2.{len(answers) + 1}")
        answers[name] = _try(app.test_client(), name, "wrong-" + PASSWORD, f"192.0.2.{len(answers) + 1}")
    assert all("尝试过于频繁" in a for a in answers.values())


def test_one_address_spraying_many_names_must_wait(app: Flask, make_user: Callable[..., User]) -> None:
    make_user("company", username="victim")
    for i in range(app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"] + 1):
        _try(app.test_client(), f"name{i}", "x" * 12, ATTACKER)
    assert "尝试过于频繁" in _try(app.test_client(), "victim", PASSWORD, ATTACKER)
    assert _try(app.test_client(), "victim", PASSWORD, OWNER) == "/"


def test_a_success_clears_the_pair_and_keys_are_stored_hashed(app: Flask, make_user: Callable[..., User]) -> None:
    make_user("company", username="typo")
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        _try(app.test_client(), "typo", "wrong-" + PASSWORD, OWNER)
    assert _try(app.test_client(), "typo", PASSWORD, OWNER) == "/"
    keys = list(db.session.scalars(select(LoginThrottle.key)))
    assert keys and all(OWNER not in k and "typo" not in k and len(k) == 64 for k in keys)
    _try(app.test_client(), "typo", "wrong-" + PASSWORD, OWNER)
    assert throttle.blocked_until("typo", OWNER) is None, "the count started again from zero"


def test_the_service_refuses_while_throttled_without_checking_the_password(
        app: Flask, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch) -> None:
    make_user("company", username="svc")
    for _ in range(app.config["LOGIN_FREE_FAILURES"] + 1):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate("svc", "wrong-" + PASSWORD, ATTACKER)
    checked: list[Any] = []
    monkeypatch.setattr(accounts, "check_password_hash", lambda *a: checked.append(a) or True)
    with pytest.raises(AuthenticationFailed) as caught:
        accounts.authenticate("svc", PASSWORD, ATTACKER)
    assert caught.value.code == "throttled" and not checked


def test_registration_is_rate_limited(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["REGISTER_LIMIT"] = "2 per hour"
    client = app.test_client()
    answers = [client.post("/auth/register", data={"username": f"u{i}"}).status_code for i in range(3)]
    assert answers[:2] == [200, 200] and answers[2] == 429
