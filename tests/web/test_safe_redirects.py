"""Every `next=` redirect stays on this site (open-redirect cases from issue 11 included)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaker.web.helpers import safe_path
from tests.conftest import PASSWORD

HOSTILE = ["/%09/evil.example/", "/%09/evil.com", "//evil.com", "/\\evil.com", "https://evil.com", "/%0a/evil.com",
           "/%20/evil.com", "javascript:alert(1)", ""]


@pytest.mark.parametrize("target", ["/\t/evil.example/", "//evil", "/\\evil", "http://evil", "/\n/x", "/ /x", ""])
def test_safe_path_refuses(target: str) -> None:
    assert safe_path(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/results/", "/results/?q=%E6%B0%9F&page=2", "/needs/3"])
def test_safe_path_keeps_site_paths(target: str) -> None:
    assert safe_path(target, "/home") == target


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_sends_anyone_off_site(app: Any, make_user: Callable[..., Any], target: str) -> None:
    user = make_user("company")
    response = app.test_client().post(f"/auth/login?next={target}",
                                      data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location
