"""Pagination and filters of results, needs and organizations."""
from __future__ import annotations

from typing import Any

import pytest

from matchmaker.extensions import db
from tests.conftest import valid_credit_code


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_pagination_reports_total_page_and_pages(app: Any, call: Any, make_posting: Any) -> None:
    made = [make_posting("result", title=f"测试成果第{i}号") for i in range(5)]
    first = call("GET", "/api/v1/results?per_page=2").json
    assert (first["total"], first["page"], first["per_page"], first["pages"]) == (5, 1, 2, 3)
    seen = [item["id"] for p in (1, 2, 3) for item in call("GET", f"/api/v1/results?per_page=2&page={p}").json["items"]]
    assert sorted(seen) == sorted(p.id for p in made)
    assert call("GET", "/api/v1/results?per_page=2&page=4").json["items"] == []
    app.config["PAGE_SIZE"] = 3
    assert call("GET", "/api/v1/results").json["per_page"] == 3
    assert len(call("GET", "/api/v1/results?per_page=100").json["items"]) == 5


def test_only_published_postings_are_listed_publicly(call: Any, make_posting: Any) -> None:
    published = make_posting("need", status="published")
    for status in ("draft", "pending", "rejected", "withdrawn"):
        make_posting("need", status=status)
    assert ids(call("GET", "/api/v1/needs")) == [published.id]


def test_filters(call: Any, make_posting: Any, default_chains: Any, make_user: Any) -> None:
    owner = make_user("researcher")
    seal = make_posting("result", owner=owner, trl=6, modes=["license"])
    battery = make_posting("result", title="固态锂电池电解质", keywords=["固态电池"], trl=3, modes=["joint"],
                           summary="一种高离子电导率的硫化物固态电解质及其制备方法，适用于动力电池。")
    battery.chain_id = default_chains[1].id
    db.session.commit()
    assert ids(call("GET", "/api/v1/results?q=氟橡胶")) == [seal.id]
    assert ids(call("GET", "/api/v1/results?q=固态 电解质")) == [battery.id]
    assert ids(call("GET", f"/api/v1/results?chain_id={default_chains[1].id}")) == [battery.id]
    assert ids(call("GET", "/api/v1/results?trl_min=5")) == [seal.id]
    assert ids(call("GET", "/api/v1/results?trl_max=4")) == [battery.id]
    assert ids(call("GET", "/api/v1/results?trl_min=3&trl_max=6&mode=joint")) == [battery.id]
    assert ids(call("GET", f"/api/v1/results?org_id={owner.org_id}")) == [seal.id]
    assert ids(call("GET", "/api/v1/results?mode=equity")) == []


def test_need_filters_use_the_needs_trl(call: Any, make_posting: Any) -> None:
    low, high = make_posting("need", trl_min=3), make_posting("need", trl_min=8)
    assert ids(call("GET", "/api/v1/needs?trl_min=7")) == [high.id]
    assert ids(call("GET", "/api/v1/needs?trl_max=4&mode=joint")) == [low.id]


def test_organizations_list_and_detail(call: Any, make_org: Any) -> None:
    local = make_org(name="淄博某化工有限公司", kind="company")
    far = make_org(name="青岛某大学", kind="university", region="370200")
    listed = call("GET", "/api/v1/organizations?kind=company").json
    assert [o["id"] for o in listed["items"]] == [local.id] and listed["total"] == 1
    assert ids(call("GET", "/api/v1/organizations?q=大学")) == [far.id]
    one = call("GET", f"/api/v1/organizations/{local.id}").json
    assert one["name"] == "淄博某化工有限公司" and one["is_local"] is True and one["credit_code"] == local.credit_code
    assert call("GET", f"/api/v1/organizations/{far.id}").json["is_local"] is False
    paged = call("GET", "/api/v1/organizations?per_page=1&page=2").json
    assert paged["pages"] == 2 and len(paged["items"]) == 1


def test_staff_create_and_update_organizations(call: Any, staff: Any, make_user: Any, bearer: Any) -> None:
    code = valid_credit_code("370303")
    data = {"name": "淄博新材料研究院", "kind": "institute", "credit_code": code, "district": "张店区"}
    assert call("POST", "/api/v1/organizations", bearer(make_user("company")), json=data).status_code == 403
    created = call("POST", "/api/v1/organizations", bearer(staff), json=data)
    assert created.status_code == 201 and created.json["region_code"] == "370303" and created.json["is_local"]
    duplicate = call("POST", "/api/v1/organizations", bearer(staff), json={**data, "name": "另一家研究院"})
    assert duplicate.status_code == 422 and "credit_code" in duplicate.json["errors"]
    changed = call("PATCH", f"/api/v1/organizations/{created.json['id']}", bearer(staff), json={"district": "淄川区"})
    assert changed.status_code == 200 and changed.json["district"] == "淄川区" and changed.json["name"] == data["name"]


@pytest.mark.parametrize("code", ["123", "91370303MA3C4XXXX0", ""])
def test_bad_credit_codes_are_field_errors(call: Any, staff: Any, bearer: Any, code: str) -> None:
    data = {"name": "某公司", "kind": "company", "credit_code": code}
    response = call("POST", "/api/v1/organizations", bearer(staff), json=data)
    assert response.status_code == 422 and response.json["errors"]["credit_code"]
