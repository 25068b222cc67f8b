"""Authorization matrix generated from app.url_map: every page × every kind of visitor (× owner/non-owner).

The expectations live in tests/web/access_rules.py; an endpoint without a rule fails
test_every_endpoint_has_a_rule.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matchmaker.extensions import db
from matchmaker.models import ApiToken, User
from tests.conftest import login
from tests.web.access_rules import API, Rule, expected, rule_for
from tests.web.support import World, url_rules

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
