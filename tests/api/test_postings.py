"""Results and needs through the API: the same rules as the pages, because the same services apply them."""
from __future__ import annotations

from typing import Any

import pytest

from matchmaker.extensions import db
from matchmaker.services import accounts
from tests.conftest import need_data, result_data

XSS = "<script>alert(1)</script>"


def test_result_life_cycle_with_tokens(call: Any, make_user: Any, staff: Any, bearer: Any,
                                       default_chains: Any) -> None:
    owner = make_user("researcher")
    mine, reviewer = bearer(owner), bearer(staff)

    created = call("POST", "/api/v1/results", mine, json=result_data(default_chains[0].id))
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "draft" and body["kind"] == "result"
    assert body["org"]["id"] == owner.org_id and body["chain"]["id"] == default_chains[0].id
    assert body["price_wan"] == 80.0 and body["trl"] == 6 and body["modes"] == ["license", "transfer"]
    url = f"/api/v1/results/{body['id']}"

    assert call("GET", url).status_code == 404  # a draft does not exist for the public
    changed = call("PATCH", url, mine, json={"title": "耐高温氟橡胶密封材料（第二版）", "price_wan": None})
    assert changed.status_code == 200, changed.json
    assert changed.json["title"].endswith("（第二版）") and changed.json["price_wan"] is None
    assert changed.json["summary"] == result_data(0)["summary"]  # untouched fields kept

    assert call("POST", url + "/submit", mine).json["status"] == "pending"
    assert [r["id"] for r in call("GET", "/api/v1/review", reviewer).json["results"]] == [body["id"]]
    published = call("POST", url + "/publish", reviewer)
    assert published.status_code == 200 and published.json["status"] == "published"
    assert published.json["published_at"] is not None

    public = call("GET", url)
    assert public.status_code == 200 and public.json["title"].endswith("（第二版）")
    assert call("POST", url + "/withdraw", mine).json["status"] == "withdrawn"
    assert call("GET", url).status_code == 404


def test_need_created_and_submitted_at_once_then_rejected_with_reason(call: Any, make_user: Any, staff: Any,
                                                                       bearer: Any, default_chains: Any) -> None:
    company = make_user("company")
    data = {**need_data(default_chains[1].id), "submit": True}
    created = call("POST", "/api/v1/needs", bearer(company), json=data)
    assert created.status_code == 201 and created.json["status"] == "pending"
    url = f"/api/v1/needs/{created.json['id']}"

    missing = call("POST", url + "/reject", bearer(staff), json={})
    assert missing.status_code == 422 and "reason" in missing.json["errors"]
    rejected = call("POST", url + "/reject", bearer(staff), json={"reason": "请补充技术指标。"})
    assert rejected.json["status"] == "rejected" and rejected.json["reject_reason"] == "请补充技术指标。"
    again = call("POST", url + "/publish", bearer(staff))
    assert again.status_code == 409 and again.json["code"] == "bad_status"


def test_service_validation_comes_back_per_field(call: Any, make_user: Any, bearer: Any,
                                                 default_chains: Any) -> None:
    data = result_data(default_chains[0].id, title="短", trl=12, modes=["gift"], contact_phone="", contact_email="")
    response = call("POST", "/api/v1/results", bearer(make_user("researcher")), json=data)
    assert response.status_code == 422
    body = response.json
    assert body["code"] == "validation_failed"
    assert set(body["errors"]) >= {"title", "trl", "modes", "contact_phone"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)
    assert body["message"] in {m for messages in body["errors"].values() for m in messages}


def test_messages_follow_lang_parameter(call: Any, make_user: Any, bearer: Any) -> None:
    response = call("POST", "/api/v1/results?lang=en", bearer(make_user("researcher")), json={})
    assert response.status_code == 422 and response.json["errors"]["title"]


# ---- permissions ------------------------------------------------------------------------------------------------

def test_researcher_cannot_post_a_need_and_company_cannot_post_a_result(call: Any, make_user: Any, bearer: Any,
                                                                         default_chains: Any) -> None:
    need = call("POST", "/api/v1/needs", bearer(make_user("researcher")), json=need_data(default_chains[0].id))
    assert need.status_code == 403 and need.json["code"] == "forbidden" and need.json["message"]
    result = call("POST", "/api/v1/results", bearer(make_user("company")), json=result_data(default_chains[0].id))
    assert result.status_code == 403


def test_staff_may_post_for_an_organization(call: Any, staff: Any, bearer: Any, make_org: Any,
                                            default_chains: Any) -> None:
    firm = make_org(kind="company")
    created = call("POST", "/api/v1/needs", bearer(staff), json={**need_data(default_chains[0].id), "org_id": firm.id})
    assert created.status_code == 201 and created.json["org"] == {"id": firm.id, "name": firm.name}


def test_non_owner_cannot_update_submit_or_withdraw(call: Any, make_posting: Any, make_user: Any,
                                                    bearer: Any) -> None:
    posting = make_posting("result", status="published")
    stranger = bearer(make_user("researcher"))
    url = f"/api/v1/results/{posting.id}"
    patched = call("PATCH", url, stranger, json={"title": "别人的成果被我改了"})
    assert patched.status_code == 403 and patched.json["code"] == "forbidden"
    assert call("POST", url + "/withdraw", stranger).status_code == 403
    draft = make_posting("result", status="draft")
    assert call("POST", f"/api/v1/results/{draft.id}/submit", stranger).status_code == 404  # drafts do not leak


def test_only_staff_publish_or_see_the_review_queue(call: Any, make_posting: Any, bearer: Any) -> None:
    posting = make_posting("result", status="pending")
    owner = bearer(posting.owner)
    response = call("POST", f"/api/v1/results/{posting.id}/publish", owner)
    assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert call("GET", "/api/v1/review", owner).status_code == 403
    assert call("GET", "/api/v1/review").status_code == 401


@pytest.mark.parametrize(("method", "path", "payload"), [
    ("POST", "/api/v1/results", {}),
    ("POST", "/api/v1/needs", {}),
    ("PATCH", "/api/v1/results/{id}", {"title": "匿名用户的修改"}),
    ("POST", "/api/v1/results/{id}/withdraw", None),
    ("POST", "/api/v1/results/{id}/publish", None),
    ("POST", "/api/v1/results/{id}/reject", {"reason": "匿名退回"}),
    ("POST", "/api/v1/organizations", {"name": "匿名单位"}),
    ("PATCH", "/api/v1/organizations/1", {"name": "匿名单位"}),
])
def test_anonymous_writes_are_401(call: Any, make_posting: Any, method: str, path: str, payload: Any) -> None:
    posting = make_posting("result", status="published")
    response = call(method, path.format(id=posting.id), json=payload)
    assert response.status_code == 401
    assert response.json["code"] == "login_required" and response.json["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert call("GET", f"/api/v1/results/{posting.id}").json["status"] == "published"


@pytest.mark.parametrize("header", ["Bearer mm_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "mm_raw", "Bearer " +
                                    "x" * 500])
def test_invalid_tokens_are_refused_even_for_reads(call: Any, make_posting: Any, header: str) -> None:
    posting = make_posting("result")
    for method, path in (("GET", f"/api/v1/results/{posting.id}"), ("POST", f"/api/v1/results/{posting.id}/submit")):
        response = call(method, path, {"Authorization": header})
        assert response.status_code == 401 and response.json["code"] == "authentication_failed"


def test_disabled_users_and_revoked_tokens_are_refused(call: Any, make_user: Any, bearer: Any,
                                                       default_chains: Any) -> None:
    user = make_user("researcher")
    headers = bearer(user)
    assert call("GET", "/api/v1/results?mine=true", headers).status_code == 200
    user.disabled = True
    db.session.commit()
    assert call("GET", "/api/v1/results?mine=true", headers).status_code == 401
    assert call("POST", "/api/v1/results", headers, json=result_data(default_chains[0].id)).status_code == 401

    other = make_user("researcher")
    token, plain = accounts.create_api_token(other)
    accounts.revoke_api_token(token.id, other)
    assert call("GET", "/api/v1/chains", {"Authorization": f"Bearer {plain}"}).status_code == 401


def test_session_cookie_is_not_a_credential(client: Any, make_user: Any, default_chains: Any) -> None:
    from tests.conftest import login

    login(client, make_user("researcher"))
    response = client.post("/api/v1/results", json=result_data(default_chains[0].id))
    assert response.status_code == 401 and response.json["code"] == "login_required"


def test_api_is_csrf_exempt_but_pages_are_not(app: Any, make_user: Any, bearer: Any, default_chains: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/api/v1/results", headers=bearer(make_user("researcher")),
                           json=result_data(default_chains[0].id))
    assert response.status_code == 201
    assert client.post("/api/v1/nowhere", json={}).status_code == 404  # unknown API route: JSON 404, not CSRF
    assert client.post("/results/new", data={}).status_code in (302, 400)


# ---- contact masking and XSS ------------------------------------------------------------------------------------

def test_contact_masked_for_anonymous_and_strangers_not_for_owner_or_staff(call: Any, make_posting: Any,
                                                                          make_user: Any, staff: Any,
                                                                          bearer: Any) -> None:
    posting = make_posting("result", status="published")
    url = f"/api/v1/results/{posting.id}"
    for headers in ({}, bearer(make_user("company"))):
        contact = call("GET", url, headers).json["contact"]
        assert contact == {"name": "王工", "phone": "138****5678", "email": "w***@example.edu.cn", "masked": True}
        listed = call("GET", "/api/v1/results", headers).json["items"][0]["contact"]
        assert listed["masked"] and "12345678" not in str(listed)
    for headers in (bearer(posting.owner), bearer(staff)):
        contact = call("GET", url, headers).json["contact"]
        assert contact["phone"] == "13812345678" and contact["email"] == "wang@example.edu.cn"
        assert contact["masked"] is False


@pytest.mark.parametrize("kind", ["result", "need"])
def test_markup_is_stored_and_returned_verbatim_as_json_data(call: Any, make_user: Any, staff: Any, bearer: Any,
                                                             default_chains: Any, kind: str) -> None:
    texts = {"result": ("title", "summary", "innovations", "indicators", "patent_numbers", "contact_name"),
             "need": ("title", "problem", "targets", "contact_name")}[kind]
    builder = result_data if kind == "result" else need_data
    data = builder(default_chains[0].id, keywords=[XSS, "密封件"], **{name: XSS for name in texts})
    if kind == "result":
        data["summary"] = XSS * 2
    user = make_user("researcher" if kind == "result" else "company")
    created = call("POST", f"/api/v1/{kind}s", bearer(user), json={**data, "submit": True})
    assert created.status_code == 201, created.json
    call("POST", f"/api/v1/{kind}s/{created.json['id']}/publish", bearer(staff))

    response = call("GET", f"/api/v1/{kind}s/{created.json['id']}")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for name in texts:
        value = response.json["contact"]["name"] if name == "contact_name" else response.json[name]
        assert value.startswith(XSS)
    assert response.json["keywords"][0] == XSS and response.json["contact"]["name"] == XSS
    assert b"&lt;script" not in response.data and not response.data.lstrip().startswith(b"<")
    listed = call("GET", f"/api/v1/{kind}s?q=script")
    assert listed.json["items"][0]["title"] == XSS


def test_mine_lists_every_status_of_the_callers_postings(call: Any, make_posting: Any, make_user: Any,
                                                         bearer: Any) -> None:
    owner = make_user("researcher")
    ids = {make_posting("result", owner=owner, status=s).id for s in ("draft", "pending", "published")}
    make_posting("result", status="published")  # someone else's
    listed = call("GET", "/api/v1/results?mine=1&per_page=2", bearer(owner)).json
    assert listed["total"] == 3 and listed["pages"] == 2 and len(listed["items"]) == 2
    second = call("GET", "/api/v1/results?mine=1&per_page=2&page=2", bearer(owner)).json
    assert {p["id"] for p in listed["items"] + second["items"]} == ids
    assert call("GET", "/api/v1/results?mine=1").status_code == 401


def test_staff_list_by_status(call: Any, make_posting: Any, staff: Any, bearer: Any, make_user: Any) -> None:
    pending = make_posting("need", status="pending")
    make_posting("need", status="published")
    listed = call("GET", "/api/v1/needs?status=pending", bearer(staff)).json
    assert [n["id"] for n in listed["items"]] == [pending.id]
    assert call("GET", "/api/v1/needs?status=any", bearer(staff)).json["total"] == 2
    assert call("GET", "/api/v1/needs?status=pending", bearer(make_user("company"))).status_code == 403
