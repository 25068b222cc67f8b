"""API fixtures: bearer tokens for factory users and a JSON-speaking client helper."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaker.models import User
from matchmaker.services import accounts


@pytest.fixture
def bearer() -> Callable[[User], dict[str, str]]:
    """bearer(user) -> headers carrying a fresh API token of that user."""
    def factory(user: User) -> dict[str, str]:
        _token, plain = accounts.create_api_token(user, "tests")
        return {"Authorization": f"Bearer {plain}"}
    return factory


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def call(client: FlaskClient) -> Callable[..., Any]:
    """call("POST", "/api/v1/results", user_headers, json=...) -> response, asserting it is JSON."""
    def request(method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        response = client.open(path, method=method, headers=headers or {}, **kwargs)
        assert response.mimetype == "application/json", (response.status_code, response.data[:300])
        return response
    return request
