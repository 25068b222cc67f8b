"""With CSRF protection on, a POST without a token to any page is refused (400) and changes nothing."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matchmaker.models import User
from tests.conftest import PASSWORD, login
from tests.web.access_rules import API, rule_for
from tests.web.support import World, csrf_token, db_snapshot, url_rules

# Views whose URL carries its own credential, so a POST from outside the site is the point: a mail client's
# RFC 8058 one-click unsubscribe (a signed token; tests/services/alerts/test_digests.py covers forged ones).
SIGNED_LINK_VIEWS = {"alerts.unsubscribe"}
POST_RULES = [r for r in url_rules()
              if "POST" in (r.methods or set()) and rule_for(r.endpoint, r.rule) not in (API, None)
              and r.endpoint not in SIGNED_LINK_VIEWS]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True, "MATCH_INDEX_ENABLED": False}


@pytest.mark.parametrize("url_rule", POST_RULES, ids=[r.endpoint for r in POST_RULES])
def test_post_without_token_is_refused(url_rule: Any, app: Flask, client: FlaskClient,
                                       world: Callable[..., World]) -> None:
    rule = rule_for(url_rule.endpoint, url_rule.rule)
    assert rule is not None
    # The most privileged visitor, owning the posting: only the missing token can be the reason for a refusal.
    w = world("admin", rule, owner=True)
    login(client, w.actor)
    url, data = w.url(app, url_rule, rule), w.form(rule)  # both may insert rows: build them first
    before = db_snapshot()
    response = client.post(url, data=data)
    assert response.status_code == 400, f"{url}: {response.status_code}"
    assert db_snapshot() == before


def test_only_the_signed_link_views_skip_the_token(app: Flask) -> None:
    exempt = {name for name in app.view_functions
              if f"{app.view_functions[name].__module__}.{app.view_functions[name].__name__}"
              in app.extensions["csrf"]._exempt_views}
    assert exempt == SIGNED_LINK_VIEWS


def test_post_with_a_forged_token_is_refused(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user("researcher")
    before = db_snapshot()
    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD,
                                                "csrf_token": "forged"})
    assert response.status_code == 400
    assert db_snapshot() == before


def test_post_with_the_token_is_accepted(client: FlaskClient, make_user: Callable[..., User]) -> None:
    """The control: the same sign-in with the page's token goes through."""
    user = make_user("researcher")
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302


def test_every_post_form_on_a_page_carries_a_token(client: FlaskClient, make_user: Callable[..., User],
                                                  make_posting: Callable[..., Any]) -> None:
    staff = make_user("admin", org=None)
    posting = make_posting("result", status="pending")
    login(client, staff)
    for url in ("/", "/auth/tokens", f"/results/{posting.id}", "/review/", "/admin/users",
                f"/results/{posting.id}/edit"):
        html = client.get(url).get_data(as_text=True)
        forms = html.count('method="post"')
        assert forms and html.count('name="csrf_token"') >= forms, url
