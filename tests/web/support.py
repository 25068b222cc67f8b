"""Helpers the page tests and browser tests share."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule as UrlRule

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Chain, Organization, User
from matchmaker.services import chains
from tests.conftest import login
from tests.web.access_rules import API, Rule

FALLBACK_CHAINS = [
    ("new_materials", "新材料", "氟硅材料、高分子材料。", ["氟橡胶", "密封件", "新材料", "高分子"]),
    ("smart_equipment", "智能装备", "数控机床、工业机器人。", ["数控机床", "机器人", "智能制造"]),
]


def load_chains(corpus_dir: str) -> list[Chain]:
    """The default chains from corpus/, or two stand-ins while corpus/chains.json is not in the tree."""
    if (Path(corpus_dir) / "chains.json").exists():
        chains.load_default_chains(corpus_dir)
    elif not chains.list_chains():
        for order, (code, name, description, terms) in enumerate(FALLBACK_CHAINS):
            db.session.add(Chain(code=code, name=name, description=description, terms=terms, sort_order=order))
        db.session.commit()
    return chains.list_chains()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def url_rules() -> list[UrlRule]:
    """The routes of a freshly built app (reading the map needs no database)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"},
                     instance_path=tempfile.mkdtemp(prefix="mm-urlmap-"))
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: (r.rule, r.endpoint))


@dataclass
class World:
    """What a URL points at: real rows built with the conftest factories (see tests/web/access_rules.py)."""

    actor: User | None
    owner: User | None
    posting: Any
    org: Organization
    chain: Chain
    target: User
    token: ApiToken
    make_user: Callable[..., User]
    make_org: Callable[..., Organization]
    make_posting: Callable[..., Any]

    def add(self, row: Any) -> Any:
        db.session.add(row)
        db.session.commit()
        return row

    def values(self, url_rule: UrlRule, rule: Rule) -> dict[str, Any]:
        known = {"posting_id": self.posting.id if self.posting is not None else None,
                 "kind": rule.posting or "result", "org_id": self.org.id, "chain_id": self.chain.id,
                 "user_id": self.target.id, "token_id": self.token.id, "code": "en"}
        extra = rule.values(self) if rule.values else {}
        out = {}
        for name in url_rule.arguments:
            if name in extra:
                out[name] = extra[name]
            elif known.get(name) is not None:
                out[name] = known[name]
            elif rule is API:
                out[name] = 1 if re.search(rf"<int(\([^)]*\))?:{name}>", url_rule.rule) else "x"
            else:
                pytest.fail(f"{url_rule.endpoint}: give a values= function for <{name}> in access_rules.py")
        return out

    def url(self, app: Flask, url_rule: UrlRule, rule: Rule) -> str:
        with app.test_request_context():
            return url_for(url_rule.endpoint, **self.values(url_rule, rule))

    def form(self, rule: Rule) -> dict[str, Any]:
        return rule.form(self) if callable(rule.form) else dict(rule.form)


def make_actor(actor: str, make_user: Callable[..., User], make_org: Callable[..., Organization]) -> User | None:
    """anonymous -> None; disabled -> a disabled researcher; admin gets a bureau so it may own postings."""
    if actor == "anonymous":
        return None
    if actor == "disabled":
        return make_user("researcher", disabled=True)
    if actor == "admin":
        return make_user("admin", org=make_org(kind="bureau"))
    return make_user(actor)


def db_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every committed row of every table, to prove a request stored nothing.

    The tests share one app context, so a failed request's uncommitted rows would still sit in the session;
    a real request's teardown throws them away, and so does this rollback.
    """
    db.session.rollback()
    # Sign-in throttle counters are meant to move on a failed login (that is the point of them).
    return {t.name: sorted((tuple(map(repr, row)) for row in db.session.execute(select(t))), key=repr)
            for t in db.metadata.sorted_tables if t.name != "login_throttle"}


def sign_in(client: FlaskClient, user: User | None) -> FlaskClient:
    """conftest.login, plus forgetting the visitor Flask-Login cached for earlier requests.

    The `app` fixture keeps one app context for the whole test and requests reuse it, so `g._login_user` from an
    anonymous request would otherwise outlive the sign-in.
    """
    g.pop("_login_user", None)
    if user is None:
        with client.session_transaction() as session:
            session.clear()
        return client
    return login(client, user)


TRANSLATIONS = Path(__file__).resolve().parents[2] / "matchmaker" / "translations"


def compile_catalogs() -> None:
    """What `make translations` does (pybabel compile -f), for a checkout where nobody ran it yet."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as src:
            catalog = read_po(src)
        with mo.open("wb") as out:
            write_mo(out, catalog, use_fuzzy=True)
