"""Script stored in any text field comes back escaped on every page that shows it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaker.extensions import db
from matchmaker.models import Chain, Organization, User
from tests.web.support import sign_in as login

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
RESULT_FIELDS = ("title", "summary", "innovations", "indicators", "patent_numbers", "contact_name", "contact_email")
NEED_FIELDS = ("title", "problem", "targets", "contact_name", "contact_email")
ORG_FIELDS = ("name", "district", "address", "contact_name", "contact_email", "description")
CHAIN_FIELDS = ("name", "description")


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


def _poison(row: Any, names: tuple[str, ...]) -> None:
    """Each field gets the script followed by its own name, so each can be found on the page."""
    for name in names:
        setattr(row, name, f"{SCRIPT}{name}")
    db.session.commit()


def _assert_escaped(html: str, names: tuple[str, ...], where: str) -> None:
    assert SCRIPT not in html, f"{where}: raw script in the page"
    for name in names:
        assert f"{ESCAPED}{name}" in html, f"{where}: {name} not shown escaped"


@pytest.fixture
def poisoned(make_user: Callable[..., User], make_org: Callable[..., Organization],
             make_posting: Callable[..., Any], default_chains: list[Chain]) -> dict[str, Any]:
    org = make_org(kind="university")
    owner = make_user("researcher", org=org)
    company = make_user("company")
    result = make_posting("result", owner=owner, status="published", keywords=[SCRIPT + "kw"])
    pending = make_posting("result", owner=owner, status="pending")
    rejected = make_posting("need", owner=company, status="rejected")
    need = make_posting("need", owner=company, status="published")
    _poison(result, RESULT_FIELDS)
    _poison(pending, ("title",))
    _poison(need, NEED_FIELDS)
    rejected.reject_reason = SCRIPT + "reason"
    _poison(org, ORG_FIELDS)
    chain = default_chains[0]
    chain.terms = [SCRIPT + "term"]
    _poison(chain, CHAIN_FIELDS)
    return {"result": result, "pending": pending, "need": need, "rejected": rejected, "org": org, "chain": chain,
            "owner": owner, "company": company, "staff": make_user("staff")}


def test_result_fields_escaped(client: FlaskClient, poisoned: dict[str, Any]) -> None:
    r = poisoned["result"]
    login(client, poisoned["staff"])
    _assert_escaped(client.get(f"/results/{r.id}").get_data(as_text=True), (*RESULT_FIELDS, "kw"), "detail")
    _assert_escaped(client.get(f"/results/{r.id}/edit").get_data(as_text=True),
                    ("title", "summary", "innovations", "indicators", "contact_name"), "edit form")
    for url in ("/", "/results/", f"/orgs/{r.org_id}"):
        _assert_escaped(client.get(url).get_data(as_text=True), ("title",), url)
    searched = client.get("/results/?q=alert").get_data(as_text=True)  # escaped first, then the hit marked
    assert SCRIPT not in searched and "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;title" in searched


def test_need_fields_escaped(client: FlaskClient, poisoned: dict[str, Any]) -> None:
    n = poisoned["need"]
    login(client, poisoned["company"])
    _assert_escaped(client.get(f"/needs/{n.id}").get_data(as_text=True), NEED_FIELDS, "detail")
    for url in ("/", "/needs/", "/needs/mine"):
        _assert_escaped(client.get(url).get_data(as_text=True), ("title",), url)
    rejected = poisoned["rejected"]
    for url in (f"/needs/{rejected.id}", "/needs/mine"):
        _assert_escaped(client.get(url).get_data(as_text=True), ("reason",), url)


def test_review_pages_escape_titles(client: FlaskClient, poisoned: dict[str, Any]) -> None:
    login(client, poisoned["staff"])
    pending = poisoned["pending"]
    for url in ("/review/", f"/review/result/{pending.id}/reject", "/results/mine"):
        html = client.get(url).get_data(as_text=True)
        assert SCRIPT not in html, url
    assert f"{ESCAPED}title" in client.get("/review/").get_data(as_text=True)


def test_org_fields_escaped(client: FlaskClient, poisoned: dict[str, Any]) -> None:
    org = poisoned["org"]
    _assert_escaped(client.get(f"/orgs/{org.id}").get_data(as_text=True), ("name", "district", "description"),
                    "public org page")
    _assert_escaped(client.get("/orgs/").get_data(as_text=True), ("name", "district"), "org list")
    login(client, poisoned["staff"])
    staff_sees = ("name", "district", "contact_name", "contact_email", "description")
    _assert_escaped(client.get(f"/orgs/{org.id}").get_data(as_text=True), staff_sees, "staff org page")
    _assert_escaped(client.get(f"/orgs/{org.id}/edit").get_data(as_text=True), ORG_FIELDS, "org form")
    _assert_escaped(client.get(f"/results/{poisoned['result'].id}").get_data(as_text=True), ("name",), "posting")


def test_chain_fields_escaped(client: FlaskClient, poisoned: dict[str, Any]) -> None:
    chain = poisoned["chain"]
    _assert_escaped(client.get("/chains/").get_data(as_text=True), (*CHAIN_FIELDS, "term"), "chain list")
    for url in ("/", "/results/", f"/results/{poisoned['result'].id}"):
        _assert_escaped(client.get(url).get_data(as_text=True), ("name",), url)
    login(client, poisoned["staff"])
    _assert_escaped(client.get(f"/chains/{chain.id}/edit").get_data(as_text=True), (*CHAIN_FIELDS, "term"), "edit")


def test_display_name_escaped(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user("researcher", display_name=SCRIPT + "me")
    login(client, user)
    _assert_escaped(client.get("/").get_data(as_text=True), ("me",), "navigation")
