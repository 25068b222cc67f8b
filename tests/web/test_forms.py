"""Bad input on every form: a field or form error, a 200, and nothing stored (every table compared before/after)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaker.models import Chain, Organization, User
from tests.conftest import PASSWORD, login, valid_credit_code
from tests.web.support import db_snapshot


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


@dataclass
class Env:
    make_user: Callable[..., User]
    make_org: Callable[..., Organization]
    make_posting: Callable[..., Any]
    chains: list[Chain]


def _bad_code() -> str:
    good = valid_credit_code()
    return good[:-1] + ("0" if good[-1] != "0" else "1")


def _result_form(chain_id: int) -> dict[str, Any]:
    return {"title": "耐高温氟橡胶密封材料", "chain_id": str(chain_id), "keywords": "氟橡胶、密封件",
            "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。",
            "innovations": "硫化体系无铅化。", "indicators": "拉伸强度不低于十五兆帕。", "trl": "6", "stage": "pilot",
            "ip_type": "invention", "patent_numbers": "ZL202310000001.1", "price_wan": "80", "expires_on": "",
            "modes": ["license"], "contact_name": "王工", "contact_phone": "13812345678",
            "contact_email": "wang@example.edu.cn", "save": "1"}


def _need_form(chain_id: int, **overrides: Any) -> dict[str, Any]:
    return {"title": "汽车发动机用耐高温密封件国产化", "chain_id": str(chain_id), "keywords": "密封件",
            "problem": "现用进口氟橡胶密封件价格高、交期长，需要可在二百摄氏度以上长期工作的国产密封材料。",
            "targets": "压缩永久变形小于百分之二十。", "need_type": "rd", "budget_wan": "50", "deadline": "2031-12-31",
            "trl_min": "5", "modes": ["joint"], "contact_name": "李经理", "contact_phone": "13987654321",
            "contact_email": "li@example.com", "save": "1", **overrides}


def _org_form() -> dict[str, Any]:
    return {"name": "淄博新材料有限公司", "kind": "company", "credit_code": valid_credit_code(), "district": "张店区",
            "address": "人民西路1号", "contact_name": "赵经理", "contact_phone": "13800001111",
            "contact_email": "zhao@example.com", "description": "氟硅材料。"}


# Each setup returns (url, signed-in user or None, a valid form).
def _register(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    env.make_user("researcher", username="taken")
    return "/auth/register", None, {
        "role": "researcher", "username": "newuser1", "display_name": "张三", "email": "zhang@example.edu.cn",
        "password": "Very-Long-Pass-99", "confirm": "Very-Long-Pass-99", "org_id": "", "org_name": "淄博理工学院",
        "org_kind": "university",
        "org_credit_code": valid_credit_code(), "org_district": "张店区"}


def _login(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    user = env.make_user("researcher")
    return "/auth/login", None, {"username": user.username, "password": PASSWORD}


def _result_create(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    return "/results/new", env.make_user("researcher"), _result_form(env.chains[0].id)


def _need_create(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    return "/needs/new", env.make_user("company"), _need_form(env.chains[0].id)


def _result_edit(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    owner = env.make_user("researcher")
    posting = env.make_posting("result", owner=owner, status="published")
    return f"/results/{posting.id}/edit", owner, _result_form(env.chains[0].id)


def _need_edit(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    owner = env.make_user("company")
    posting = env.make_posting("need", owner=owner, status="draft")
    return f"/needs/{posting.id}/edit", owner, _need_form(env.chains[0].id)


def _reject(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    posting = env.make_posting("result", status="pending")
    return f"/review/result/{posting.id}/reject", env.make_user("staff"), {"reason": "缺少技术指标，请补充。"}


def _chain_edit(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    chain = env.chains[0]
    return f"/chains/{chain.id}/edit", env.make_user("staff"), {"name": chain.name, "description": "说明",
                                                                 "terms": "氟橡胶\n密封件"}


def _org_create(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    env.make_org(name="已登记单位", credit_code="914403001922038216")
    return "/orgs/new", env.make_user("staff"), _org_form()


def _org_edit(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    env.make_org(name="已登记单位", credit_code="914403001922038216")
    org = env.make_org(name="待修改单位")
    return f"/orgs/{org.id}/edit", env.make_user("staff"), {**_org_form(), "credit_code": org.credit_code}


def _token(env: Env) -> tuple[str, User | None, dict[str, Any]]:
    return "/auth/tokens", env.make_user("company"), {"name": "x"}


POSTING_BAD = [
    ("no title", {"title": ""}), ("short title", {"title": "短"}), ("long title", {"title": "长" * 201}),
    ("no chain", {"chain_id": ""}), ("unknown chain", {"chain_id": "99999"}),
    ("bad phone", {"contact_phone": "12345"}), ("bad email", {"contact_email": "bad@"}),
    ("no contact", {"contact_phone": "", "contact_email": ""}), ("unknown mode", {"modes": ["bogus"]}),
    ("too many keywords", {"keywords": "、".join(f"词{i}" for i in range(20))}),
]
RESULT_BAD = [
    *POSTING_BAD, ("short summary", {"summary": "太短"}), ("no trl", {"trl": ""}), ("trl 10", {"trl": "10"}),
    ("price text", {"price_wan": "abc"}), ("negative price", {"price_wan": "-1"}), ("bad stage", {"stage": "bogus"}),
    ("bad date", {"expires_on": "2030-02-30"}),
]
NEED_EDIT_BAD = [
    *POSTING_BAD, ("short problem", {"problem": "太短"}), ("budget text", {"budget_wan": "abc"}),
    ("bad deadline", {"deadline": "tomorrow"}),
    ("trl_min 0", {"trl_min": "0"}), ("bad need type", {"need_type": "bogus"}),
]
# A past deadline is refused only when posting: an old need stays editable after its deadline.
NEED_BAD = [*NEED_EDIT_BAD, ("past deadline", {"deadline": "2001-01-01"})]
ORG_BAD = [
    ("no name", {"name": ""}), ("no code", {"credit_code": ""}), ("short code", {"credit_code": "123"}),
    ("bad check character", {"credit_code": _bad_code()}), ("duplicate code", {"credit_code": "914403001922038216"}),
    ("duplicate name", {"name": "已登记单位"}), ("bad phone", {"contact_phone": "123"}),
    ("bad email", {"contact_email": "x@"}), ("bad kind", {"kind": "bogus"}),
    ("long description", {"description": "长" * 2001}),
]

CASES: list[tuple[str, Callable[[Env], tuple[str, User | None, dict[str, Any]]], dict[str, Any]]] = [
    *[(f"register: {n}", _register, bad) for n, bad in [
        ("no username", {"username": ""}), ("bad username", {"username": "a b!"}), ("taken", {"username": "TAKEN"}),
        ("short password", {"password": "short", "confirm": "short"}), ("mismatch", {"confirm": "Other-Pass-1234"}),
        ("password has username", {"password": "newuser1-Secret-9", "confirm": "newuser1-Secret-9"}),
        ("bad email", {"email": "not-an-email"}), ("bad code", {"org_credit_code": "123"}),
        ("bad check character", {"org_credit_code": _bad_code()}), ("no org name", {"org_name": ""}),
        ("kind mismatch", {"role": "company"}), ("staff role", {"role": "staff"}),
        ("unknown org", {"org_id": "99999"})]],
    *[(f"login: {n}", _login, bad) for n, bad in [
        ("no username", {"username": ""}), ("no password", {"password": ""}), ("unknown user", {"username": "nobody"}),
        ("long username", {"username": "u" * 51})]],
    *[(f"result create: {n}", _result_create, bad) for n, bad in RESULT_BAD],
    *[(f"result edit: {n}", _result_edit, bad) for n, bad in RESULT_BAD],
    *[(f"need create: {n}", _need_create, bad) for n, bad in NEED_BAD],
    *[(f"need edit: {n}", _need_edit, bad) for n, bad in NEED_EDIT_BAD],
    *[(f"reject: {n}", _reject, bad) for n, bad in [
        ("empty", {"reason": ""}), ("one character", {"reason": "差"}), ("too long", {"reason": "长" * 1001})]],
    *[(f"chain edit: {n}", _chain_edit, bad) for n, bad in [
        ("no name", {"name": ""}), ("short name", {"name": "新"}), ("long name", {"name": "长" * 51}),
        ("long description", {"description": "长" * 1001}), ("duplicate name", {"name": "__other__"})]],
    *[(f"org create: {n}", _org_create, bad) for n, bad in ORG_BAD],
    *[(f"org edit: {n}", _org_edit, bad) for n, bad in ORG_BAD],
    ("token: long name", _token, {"name": "长" * 101}),
]


@pytest.mark.parametrize(("setup", "bad"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused(setup: Callable[[Env], tuple[str, User | None, dict[str, Any]]], bad: dict[str, Any],
                              client: FlaskClient, make_user: Callable[..., User],
                              make_org: Callable[..., Organization], make_posting: Callable[..., Any],
                              default_chains: list[Chain]) -> None:
    url, user, data = setup(Env(make_user, make_org, make_posting, default_chains))
    if bad.get("name") == "__other__":
        bad = {"name": default_chains[1].name}
    if user is not None:
        login(client, user)
    before = db_snapshot()
    response = client.post(url, data={**data, **bad})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, response.status_code
    assert "invalid-feedback" in html or "alert-danger" in html, "no error shown"
    assert db_snapshot() == before


@pytest.mark.parametrize("setup", [_register, _login, _result_create, _result_edit, _need_create, _need_edit,
                                   _reject, _chain_edit, _org_create, _org_edit, _token])
def test_the_valid_form_goes_through(setup: Callable[[Env], tuple[str, User | None, dict[str, Any]]],
                                     client: FlaskClient, make_user: Callable[..., User],
                                     make_org: Callable[..., Organization], make_posting: Callable[..., Any],
                                     default_chains: list[Chain]) -> None:
    """The control for the table above: without the bad value the same form is accepted."""
    url, user, data = setup(Env(make_user, make_org, make_posting, default_chains))
    if user is not None:
        login(client, user)
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 302)
    assert "invalid-feedback" not in html and "alert-danger" not in html


def test_a_wrong_password_is_counted_but_signs_nobody_in(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user("researcher")
    response = client.post("/auth/login", data={"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200 and "alert-danger" in response.get_data(as_text=True)
    assert client.get("/results/mine").status_code == 302
