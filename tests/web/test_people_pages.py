"""The people layer through the pages: registration's locality check, pending organizations, 我要对接, the bell."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, Organization, User
from matchmaker.services.notify import notifications
from tests.conftest import valid_credit_code
from tests.web.support import db_snapshot, sign_in

MESSAGE = "我公司希望引进该密封材料技术，用于发动机密封件国产化，拟采用许可方式合作。"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


def registration(**overrides: Any) -> dict[str, Any]:
    return {"role": "company", "username": "li.si", "password": "Fluoro-Silicon-2026",
            "confirm": "Fluoro-Silicon-2026", "display_name": "李四", "email": "li.si@example.com", "org_id": "",
            "org_name": "淄博新材密封有限公司",
            "org_kind": "company", "org_credit_code": valid_credit_code("110105"), **overrides}


def test_check_step_explains_the_locality_and_saves_nothing(client: FlaskClient) -> None:
    before = db_snapshot()
    page = client.post("/auth/register", data={**registration(), "check": "1"}).get_data(as_text=True)
    assert "外地" in page and "110105" in page and "不以 3703 开头" in page
    assert db_snapshot() == before
    info = client.get("/people/locality", query_string={"code": valid_credit_code("370303")}).json
    assert info["valid"] and info["is_local"] and "3703" in info["reason"]
    assert client.get("/people/locality", query_string={"code": "123"}).json["valid"] is False


def test_registering_a_new_organization_leaves_it_pending_and_unlisted(client: FlaskClient,
                                                                       make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    response = client.post("/auth/register", data=registration())
    assert response.status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.name == "淄博新材密封有限公司"))
    assert org is not None and org.status == "pending"
    assert client.get("/needs/new").status_code == 403
    sign_in(client, None)
    assert "淄博新材密封有限公司" not in client.get("/orgs/?q=淄博新材").get_data(as_text=True)
    assert client.get(f"/orgs/{org.id}").status_code == 404
    sign_in(client, staff)
    queue = client.get("/people/verification").get_data(as_text=True)
    assert "淄博新材密封有限公司" in queue and "外地" in queue
    assert client.post(f"/people/verification/{org.id}/verify").status_code == 302
    assert org.status == "verified"
    assert "已认证" in client.get(f"/orgs/{org.id}").get_data(as_text=True)


def test_contact_box_and_request_form(client: FlaskClient, make_user: Callable[..., User],
                                      make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> None:
    result = make_posting("result")
    page = client.get(f"/results/{result.id}").get_data(as_text=True)
    assert 'id="request-contact"' not in page and "科技局对接服务" in page and "登录并通过单位认证" in page
    pending = make_user("company", org=make_org(status="pending"))
    sign_in(client, pending)
    page = client.get(f"/results/{result.id}").get_data(as_text=True)
    assert 'id="request-contact"' not in page and "尚未通过科技局认证" in page
    assert client.get(f"/contacts/new/results/{result.id}").status_code == 403
    company = make_user("company")
    sign_in(client, company)
    assert 'id="request-contact"' in client.get(f"/results/{result.id}").get_data(as_text=True)
    url = f"/contacts/new/results/{result.id}"
    for message in ("", "长" * 10_000):
        page = client.post(url, data={"message": message, "mode": "license", "accept_terms": "y"})
        assert page.status_code == 200 and ("此项为必填项" in page.get_data(as_text=True)
                                            or "不能超过 2000 个字" in page.get_data(as_text=True))
    assert db.session.scalar(select(func.count(ContactRequest.id))) == 0
    done = client.post(url, data={"message": MESSAGE, "mode": "license", "accept_terms": "y"})
    assert done.status_code == 302
    again = client.get(f"/results/{result.id}").get_data(as_text=True)
    assert 'id="open-request"' in again
    detail = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "待审核" in detail and 'id="act-withdraw"' in detail


def test_bell_counts_unread_notifications(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user("company")
    for _ in range(2):
        notifications.notify(user, "contact_received", "contact_received", {"org": "甲单位", "title": "乙成果"})
    db.session.commit()
    sign_in(client, user)
    page = client.get("/").get_data(as_text=True)
    assert 'id="unread-count">2<' in page
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "甲单位 希望与您就“乙成果”对接" in listing
    client.post("/notifications/read-all")
    assert 'id="unread-count"' not in client.get("/").get_data(as_text=True)


def test_staff_name_a_manager_who_then_decides_join_requests(client: FlaskClient, make_user: Callable[..., User],
                                                            make_org: Callable[..., Organization]) -> None:
    org = make_org(kind="company")
    staff, first, joiner = make_user("staff"), make_user("company", org=org), make_user("company", org=org,
                                                                                        membership="pending")
    sign_in(client, first)
    assert client.get(f"/people/orgs/{org.id}/members").status_code == 403  # not a manager yet
    sign_in(client, staff)
    page = client.get(f"/people/orgs/{org.id}/members").get_data(as_text=True)
    assert first.username in page and joiner.username in page
    assert page.count('class="btn btn-outline-primary btn-sm name-manager"') == 2
    done = client.post(f"/people/members/{first.membership.id}/manager",
                       data={"next": f"/people/orgs/{org.id}/members"}, follow_redirects=True).get_data(as_text=True)
    assert "已处理" in done and done.count("unname-manager") == 1
    sign_in(client, first)
    queue = client.get("/people/members").get_data(as_text=True)
    assert joiner.username in queue and "name-manager" not in queue  # a manager decides, but names nobody
    client.post(f"/people/members/{joiner.membership.id}/approve")
    db.session.refresh(joiner.membership)
    assert joiner.membership.status == "active"
    assert client.post(f"/people/members/{joiner.membership.id}/manager").status_code == 403
    sign_in(client, staff)
    client.post(f"/people/members/{first.membership.id}/member")
    db.session.refresh(first.membership)
    assert first.membership.role == "member"
