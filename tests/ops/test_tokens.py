"""API tokens carry a scope (read / write) and an optional expiry."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ApiToken, Need, User
from matchmaker.models._base import utcnow
from matchmaker.services import accounts
from matchmaker.services.errors import ValidationFailed
from tests.conftest import PASSWORD, need_data


def _bearer(plain: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plain}"}


def test_a_read_token_reads_but_cannot_write(client: FlaskClient, make_user: Callable[..., User],
                                             default_chains: list[Any]) -> None:
    user = make_user("company")
    _row, plain = accounts.create_api_token(user, "dashboard", scope="read")
    assert client.get("/api/v1/needs", headers=_bearer(plain)).status_code == 200
    refused = client.post("/api/v1/needs", json=need_data(default_chains[0].id), headers=_bearer(plain))
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "read_only_token"
    assert db.session.scalar(select(Need)) is None


def test_a_write_token_writes(client: FlaskClient, make_user: Callable[..., User], default_chains: list[Any]) -> None:
    _row, plain = accounts.create_api_token(make_user("company"), "sync", scope="write")
    created = client.post("/api/v1/needs", json=need_data(default_chains[0].id), headers=_bearer(plain))
    assert created.status_code == 201


def test_an_expired_token_is_refused(client: FlaskClient, make_user: Callable[..., User]) -> None:
    row, plain = accounts.create_api_token(make_user("company"), "short", scope="read", expires_days=1)
    assert client.get("/api/v1/needs", headers=_bearer(plain)).status_code == 200
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/needs", headers=_bearer(plain))
    assert response.status_code == 401
    assert response.get_json()["code"] == "authentication_failed"


@pytest.mark.parametrize(("scope", "days", "field"), [("admin", None, "scope"), ("read", 0, "expires_days"),
                                                       ("read", 99999, "expires_days")])
def test_bad_scope_or_expiry_is_a_field_error(app: Flask, make_user: Callable[..., User], scope: str,
                                              days: int | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        accounts.create_api_token(make_user("company"), "x", scope=scope, expires_days=days)
    assert field in caught.value.errors
    assert db.session.scalar(select(ApiToken)) is None


def test_the_tokens_page_makes_a_read_token_with_an_expiry(client: FlaskClient,
                                                           make_user: Callable[..., User]) -> None:
    user = make_user("researcher")
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    page = client.post("/auth/tokens", data={"name": "报表", "scope": "read", "expires_days": "30"})
    assert page.status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token is not None and token.scope == "read" and token.expires_at is not None
    text = page.get_data(as_text=True)
    assert "只读" in text
    bad = client.post("/auth/tokens", data={"name": "x", "scope": "read", "expires_days": "0"})
    assert "有效期应为 1 到 3650 天。" in bad.get_data(as_text=True)
