"""我要对接 and notifications over the API: the same services, the same rules, contacts only for the parties."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, User

REQUESTS = "/api/v1/contact-requests"
MESSAGE = "我公司希望引进该密封材料技术，用于发动机密封件国产化，拟采用许可方式合作。"


@pytest.fixture
def loop(make_user: Callable[..., User], make_posting: Callable[..., Any], bearer: Any, staff: User
         ) -> dict[str, Any]:
    researcher, company = make_user("researcher"), make_user("company")
    result = make_posting("result", owner=researcher)
    return {"result": result, "researcher": bearer(researcher), "company": bearer(company), "staff": bearer(staff),
            "stranger": bearer(make_user("company")), "other_researcher": bearer(make_user("researcher"))}


def body(result: Any, **overrides: Any) -> dict[str, Any]:
    return {"target_kind": "result", "target_id": result.id, "message": MESSAGE, "mode": "license", **overrides}


def test_the_loop_over_the_api(call: Any, loop: dict[str, Any]) -> None:
    result = loop["result"]
    created = call("POST", REQUESTS, loop["company"], json=body(result))
    assert created.status_code == 201 and created.json["status"] == "submitted"
    rid = created.json["id"]
    assert created.json["actions"] == ["withdraw"] and created.json["intent_id"] is None
    assert call("POST", f"{REQUESTS}/{rid}/approve", loop["company"], json={}).status_code == 403
    assert call("POST", f"{REQUESTS}/{rid}/approve", loop["staff"], json={}).json["status"] == "approved"
    assert call("GET", f"/api/v1/results/{result.id}", loop["company"]).json["contact"]["masked"] is True
    for who in ("stranger", "other_researcher"):
        assert call("GET", f"{REQUESTS}/{rid}", loop[who]).status_code == 404
        assert call("POST", f"{REQUESTS}/{rid}/accept", loop[who], json={}).status_code == 404
        assert call("POST", f"{REQUESTS}/{rid}/withdraw", loop[who], json={}).status_code == 404
    accepted = call("POST", f"{REQUESTS}/{rid}/accept", loop["researcher"], json={"reason": "欢迎联系"})
    assert accepted.json["status"] == "revealed" and accepted.json["intent_id"]
    assert accepted.json["owner"]["masked"] is False and accepted.json["owner"]["phone"] == "13812345678"
    contact = call("GET", f"/api/v1/results/{result.id}", loop["company"]).json["contact"]
    assert contact["masked"] is False and contact["phone"] == "13812345678"
    for who in ("stranger", "other_researcher"):
        assert call("GET", f"/api/v1/results/{result.id}", loop[who]).json["contact"]["masked"] is True
    assert call("GET", f"/api/v1/results/{result.id}").json["contact"]["masked"] is True
    mine = call("GET", REQUESTS, loop["company"]).json
    assert [r["id"] for r in mine["items"]] == [rid]
    assert call("GET", REQUESTS, loop["stranger"]).json["total"] == 0
    assert call("GET", REQUESTS, loop["staff"]).json["total"] == 1
    notes = call("GET", "/api/v1/notifications", loop["company"]).json
    assert notes["unread"] == 2 and notes["items"][0]["kind"] == "contact_accepted"
    one = call("POST", f"/api/v1/notifications/{notes['items'][0]['id']}/read", loop["company"])
    assert one.json["read_at"] is not None
    assert call("POST", f"/api/v1/notifications/{notes['items'][1]['id']}/read", loop["stranger"]).status_code == 404
    assert call("POST", "/api/v1/notifications/read-all", loop["company"]).json == {"updated": 1, "unread": 0}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"message": ""}, "message"),
    ({"message": "长" * 10_000}, "message"),
    ({"mode": "barter"}, "mode"),
])
def test_bad_input_is_a_localized_422_and_writes_nothing(call: Any, loop: dict[str, Any], overrides: dict[str, Any],
                                                         field: str) -> None:
    response = call("POST", REQUESTS, loop["company"], json=body(loop["result"], **overrides))
    assert response.status_code == 422 and field in response.json["errors"]
    assert db.session.scalar(select(func.count(ContactRequest.id))) == 0


def test_second_request_and_staff_decline_reason(call: Any, loop: dict[str, Any]) -> None:
    rid = call("POST", REQUESTS, loop["company"], json=body(loop["result"])).json["id"]
    again = call("POST", REQUESTS, loop["company"], json=body(loop["result"]))
    assert again.status_code == 422 and "请勿重复提交" in again.json["errors"]["target_id"][0]
    assert call("POST", f"{REQUESTS}/{rid}/decline", loop["staff"], json={}).status_code == 422
    declined = call("POST", f"{REQUESTS}/{rid}/decline", loop["staff"], json={"reason": "信息不完整"})
    assert declined.json["status"] == "declined" and declined.json["staff_reason"] == "信息不完整"


def test_organizations_pending_hidden_and_staff_verify(call: Any, make_org: Callable[..., Any], staff: User,
                                                       bearer: Any) -> None:
    pending = make_org(status="pending", name="待认证的新公司")
    names = [o["name"] for o in call("GET", "/api/v1/organizations?q=待认证").json["items"]]
    assert names == []
    assert call("GET", f"/api/v1/organizations/{pending.id}").status_code == 404
    assert call("GET", "/api/v1/organizations?q=待认证", bearer(staff)).json["total"] == 1
    assert call("POST", f"/api/v1/organizations/{pending.id}/reject", bearer(staff), json={}).status_code == 422
    verified = call("POST", f"/api/v1/organizations/{pending.id}/verify", bearer(staff))
    assert verified.status_code == 200 and verified.json["status"] == "verified"
    assert call("GET", "/api/v1/organizations?q=待认证").json["total"] == 1
