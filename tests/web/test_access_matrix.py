"""Authorization matrix generated from app.url_map: every page × every kind of visitor (× owner/non-owner).

The expectations live in tests/web/access_rules.py; an endpoint without a rule fails
test_every_endpoint_has_a_rule. The second half checks the buttons: each page of access_rules.BUTTON_PAGES shows
exactly the buttons of the actions `permissions.actions_for` names, and a button's request changes something
exactly when its action is in that set (see the note above `BUTTON_ACTORS` in access_rules.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from matchmaker.extensions import db
from matchmaker.models import ApiToken, Organization, User
from matchmaker.services.permissions import actions_for, site_actions
from tests.conftest import login
from tests.web.access_rules import (
    API,
    BUTTON_PAGES,
    PUBLIC,
    SITE_BUTTONS,
    SITE_TARGETS_GUARDED,
    Button,
    ButtonPage,
    Rule,
    expected,
    rule_for,
)
from tests.web.support import World, db_snapshot, make_actor, sign_in, url_rules

ACTORS = ("anonymous", "researcher", "company", "staff", "admin", "disabled")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


URL_RULES = url_rules()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Who-may-see-what does not depend on the match index; building it for ~500 cases is slow."""
    return {"MATCH_INDEX_ENABLED": False}


@dataclass(frozen=True)
class Case:
    endpoint: str
    path: str
    method: str
    actor: str
    owner: bool
    status: str | None

    @property
    def id(self) -> str:
        parts = [self.endpoint, self.method, self.actor]
        if self.status is not None:
            parts += ["owner" if self.owner else "other", self.status]
        return "-".join(parts)


def _cases() -> list[Case]:
    cases = []
    for url_rule in URL_RULES:
        rule = rule_for(url_rule.endpoint, url_rule.rule)
        if rule is None:
            continue  # test_every_endpoint_has_a_rule reports it
        for method in sorted((url_rule.methods or set()) - IGNORED_METHODS):
            actors = ("anonymous",) if rule is API else ACTORS
            for actor in actors:
                owners = (False, True) if rule.posting and actor != "anonymous" else (False,)
                statuses: tuple[str | None, ...] = rule.statuses if rule.posting else (None,)
                cases += [Case(url_rule.endpoint, url_rule.rule, method, actor, owner, status)
                          for owner in owners for status in statuses]
    return cases


CASES = _cases()


def test_every_endpoint_has_a_rule() -> None:
    """A new page must say who may see it: add it to tests/web/access_rules.py (see the note at its top)."""
    missing = [f"{r.endpoint} ({r.rule})" for r in URL_RULES if rule_for(r.endpoint, r.rule) is None]
    assert not missing, "endpoints without an access rule in tests/web/access_rules.py: " + ", ".join(missing)


def test_no_stale_rules() -> None:
    """A rule for an endpoint that no longer exists is a sign the table drifted."""
    endpoints = {r.endpoint for r in URL_RULES}
    from tests.web.access_rules import RULES

    assert sorted(set(RULES) - endpoints) == []


def test_matrix_is_big_enough() -> None:
    assert len(CASES) > 300


def _check(case: Case, rule: Rule, response: Any) -> None:
    where = f"{case.method} {response.request.path} as {case.id}: got {response.status_code}"
    location = response.headers.get("Location", "")
    if rule is API:
        assert response.status_code < 500, where
        if case.method not in ("GET",):
            assert response.status_code in (401, 405), where
        return
    role = None if case.actor in ("anonymous", "disabled") else case.actor
    want = expected(rule, role, case.owner and role is not None, case.status)
    if want == "login":
        assert response.status_code == 302 and "/auth/login" in location, where + f" -> {location}"
        return
    assert response.status_code in want, where + f" (wanted {sorted(want)})"
    if response.status_code == 302:
        assert "/auth/login" not in location, where + f" -> {location}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_access(case: Case, client: FlaskClient, app: Flask, world: Callable[..., World]) -> None:
    rule = rule_for(case.endpoint, case.path)
    assert rule is not None
    w = world(case.actor, rule, owner=case.owner, status=case.status)
    if w.actor is not None:
        login(client, w.actor)
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == case.endpoint and r.rule == case.path)
    response = client.open(w.url(app, url_rule, rule), method=case.method,
                           data=w.form(rule) if case.method == "POST" else None)
    _check(case, rule, response)


def test_someone_elses_token_cannot_be_revoked(client: FlaskClient, make_user: Callable[..., User]) -> None:
    me, other = make_user("company"), make_user("researcher")
    token = ApiToken(user_id=other.id, name="t", token_hash="f" * 64, prefix="mm_test")
    db.session.add(token)
    db.session.commit()
    login(client, me)
    assert client.post(f"/auth/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked is False


def test_disabled_user_session_is_signed_out(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user("staff", disabled=True)
    login(client, user)
    response = client.get("/review/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# ---- buttons ---------------------------------------------------------------------------------------------------

BUTTON_CASES = [(name, state, who) for name, page in BUTTON_PAGES.items() for state in page.states
                for who in page.actors]


def _button_actor(who: str, page: ButtonPage, make_user: Callable[..., User],
                  make_org: Callable[..., Organization]) -> User | None:
    return make_user(page.owner_role) if who == "owner" else make_actor(who, make_user, make_org)


def _stored() -> dict[str, Any]:
    """Every stored row but the sign-in sessions (a request may touch their last-seen time)."""
    return {name: rows for name, rows in db_snapshot().items() if name != "user_session"}


def _offered(user: User | None, button: Button, record: Any) -> bool:
    return button.action in actions_for(user, button.of(record) if button.of else record)


@pytest.mark.parametrize(("name", "state", "who"), BUTTON_CASES, ids=["-".join(c) for c in BUTTON_CASES])
def test_buttons(name: str, state: str, who: str, client: FlaskClient, app: Flask, world: Callable[..., World],
                 make_user: Callable[..., User], make_org: Callable[..., Organization]) -> None:
    """The page shows a button exactly when actions_for names its action (a page the actor may not open: none);
    the button's request, sent on a fresh record, changes something exactly when its action is offered."""
    page = BUTTON_PAGES[name]
    w = world("anonymous", PUBLIC)
    user = _button_actor(who, page, make_user, make_org)
    owner = user if who == "owner" else None
    _check_page(page, page.build(w, state, owner), user, f"as {who}, {state}", client, app)
    for button in (b for b in page.buttons if b.post):
        _check_post(button, page.build(w, state, owner), user, f"as {who}, {state}", client, app)


def _check_page(page: ButtonPage, record: Any, user: User | None, who: str, client: FlaskClient,
                app: Flask) -> None:
    with app.test_request_context():
        url, markers = page.page(record), [(b, b.marker(record)) for b in page.buttons]
    sign_in(client, user)
    response = client.get(url)
    html = response.get_data(as_text=True)
    for button, marker in markers:
        offered = _offered(user, button, record)
        where = f"{url} {who}: {button.action} ({marker})"
        if response.status_code != 200:
            assert not offered, where + f" is offered but the page answers {response.status_code}"
        else:
            assert (marker in html) == offered, where + (" offered but not shown" if offered else " shown")


def _check_post(button: Button, record: Any, user: User | None, who: str, client: FlaskClient,
                app: Flask) -> None:
    offered = _offered(user, button, record)
    with app.test_request_context():
        url, form = button.post(record)  # type: ignore[misc]
    sign_in(client, user)
    before = _stored()
    response = client.post(url, data=form)
    where = f"POST {url} {who} ({button.action}): {response.status_code}"
    assert response.status_code < 500, where
    if offered:
        assert response.status_code < 400 and _stored() != before, where + " offered but not done"
    else:
        assert _stored() == before, where + " not offered but done"


SITE_ACTORS = ("anonymous", "researcher", "company", "staff", "admin", "disabled", "unverified")


@pytest.mark.parametrize("who", SITE_ACTORS)
def test_site_buttons(who: str, client: FlaskClient, app: Flask, make_user: Callable[..., User],
                      make_org: Callable[..., Organization]) -> None:
    """Navigation entries and 'new' buttons follow site_actions; the guarded pages open exactly for them."""
    if who == "unverified":
        user: User | None = make_user("researcher", org=make_org(kind="university", status="pending"))
    else:
        user = make_actor(who, make_user, make_org)
    offered = site_actions(user)
    for action, (page, target, marker) in SITE_BUTTONS.items():
        with app.test_request_context():
            page_url, target_url = url_for(page), url_for(target)
        sign_in(client, user)
        html = client.get(page_url).get_data(as_text=True)
        mark = marker or f'href="{target_url}"'
        assert (mark in html) == (action in offered), f"{page_url} as {who}: {action} ({mark})"
        if action in SITE_TARGETS_GUARDED:
            sign_in(client, user)
            status = client.get(target_url).status_code
            assert (status == 200) == (action in offered), f"{target_url} as {who}: {status}"
