"""Page tests: chains come from corpus/ when it is there (see support.load_chains)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_babel
import pytest
from flask import Flask, g

from matchmaker.models import ApiToken, Chain, Organization, User
from tests.web.access_rules import Rule
from tests.web.support import World, compile_catalogs, load_chains, make_actor


@pytest.fixture
def default_chains(app: Flask) -> list[Chain]:
    return load_chains(app.config["CORPUS_DIR"])


@pytest.fixture
def world(make_user: Callable[..., User], make_org: Callable[..., Organization], make_posting: Callable[..., Any],
          default_chains: list[Chain]) -> Callable[..., World]:
    """world(actor, rule, owner=False, status=None): the rows a URL of `rule` points at, for this actor."""
    def build(actor_name: str, rule: Rule, owner: bool = False, status: str | None = None) -> World:
        actor = make_actor(actor_name, make_user, make_org)
        posting = None
        if rule.posting:
            posting = make_posting(rule.posting, owner=actor if owner else None, status=status or rule.statuses[0])
        token_owner = actor or make_user("researcher")
        token = ApiToken(user_id=token_owner.id, name="t", token_hash=f"{token_owner.id:064d}", prefix="mm_test")
        w = World(actor, actor if owner else None, posting, make_org(), default_chains[0],
                  make_user("researcher"), token, make_user, make_org, make_posting)
        w.add(token)
        return w
    return build


@pytest.fixture(scope="session", autouse=True)
def _catalogs() -> None:
    """English pages need the compiled catalog."""
    compile_catalogs()


@pytest.fixture(autouse=True)
def _fresh_request_state(app: Flask) -> None:
    """The `app` fixture keeps one app context for the whole test and requests reuse it; forget what a real
    request never carries over to the next one (Flask-Login's cached user, Flask-Babel's cached locale)."""
    def forget() -> None:
        g.pop("_login_user", None)
        flask_babel.refresh()
    app.before_request(forget)
