"""Issue 7, defect 4: Back + resubmit of a create form does not create a second record.

Each rendered create form carries a one-time token; the first successful POST consumes it and a replay of the
same rendering redirects to the record already made, with a notice, instead of creating another.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, Intent, IntentNote, Need, Organization, Result, Transfer, User
from tests.conftest import login, valid_credit_code


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


def form_token(html: str) -> str:
    found = re.search(r'id="form_token" name="form_token" type="hidden" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count(model.id))) or 0


@pytest.fixture
def intent(make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> Intent:
    result = make_posting("result")
    firm = make_org(kind="company")
    row = Intent(result_id=result.id, company_id=firm.id, logged_on=date(2025, 1, 5), last_activity_on=date(2025, 1, 5))
    db.session.add(row)
    db.session.commit()
    return row


def _result(chain: Chain, **_: Any) -> dict[str, Any]:
    return {"title": "耐高温氟橡胶密封材料", "chain_id": str(chain.id), "keywords": "氟橡胶、密封件",
            "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。", "trl": "6",
            "stage": "pilot", "ip_type": "invention", "modes": ["license"], "contact_phone": "13812345678",
            "submit_review": "1"}


def _need(chain: Chain, **_: Any) -> dict[str, Any]:
    return {"title": "汽车发动机用耐高温密封件国产化", "chain_id": str(chain.id), "keywords": "密封件",
            "problem": "现用进口氟橡胶密封件价格高、交期长，需要可在二百摄氏度以上长期工作的国产密封材料。",
            "need_type": "rd", "modes": ["joint"], "contact_phone": "13987654321", "save": "1"}


def _event(chain: Chain, **_: Any) -> dict[str, Any]:
    return {"name": "智能装备路演", "type": "roadshow", "starts_at": "2025-06-01T14:00", "venue": "高新区",
            "chain_ids": [str(chain.id)], "slot_minutes": "15", "slot_count": "6", "table_count": "4",
            "meeting_cap": "3"}


def _intent(chain: Chain, intent: Intent) -> dict[str, Any]:
    return {"result_id": str(intent.result_id), "company_id": str(intent.company_id), "logged_on": "2025-03-01",
            "mode": "license"}


def _transfer(chain: Chain, intent: Intent) -> dict[str, Any]:
    return {"result_id": str(intent.result_id), "buyer_id": str(intent.company_id), "intent_id": "",
            "contract_number": "HT-2030-7", "contract_type": "transfer", "amount_wan": "88",
            "signed_on": "2025-07-01", "local": "auto", "override_reason": ""}


def _org(chain: Chain, **_: Any) -> dict[str, Any]:
    return {"name": "淄博新材料有限公司", "kind": "company", "credit_code": valid_credit_code(), "district": "张店区",
            "contact_phone": "13800001111"}


CASES = [  # (form page, who, form data, model that must gain exactly one row)
    ("/results/new", "researcher", _result, Result),
    ("/needs/new", "company", _need, Need),
    ("/events/new", "staff", _event, Event),
    ("/deals/intents/new", "staff", _intent, Intent),
    ("/deals/transfers/new", "staff", _transfer, Transfer),
    ("/orgs/new", "staff", _org, Organization),
]


@pytest.mark.parametrize(("page", "role", "build", "model"), CASES, ids=[c[0] for c in CASES])
def test_back_and_resubmit_creates_once(client: FlaskClient, make_user: Callable[..., User],
                                        default_chains: list[Chain], intent: Intent, page: str, role: str,
                                        build: Callable[..., dict[str, Any]], model: Any) -> None:
    login(client, make_user(role))
    before = _count(model)
    data = {**build(default_chains[0], intent=intent), "form_token": form_token(client.get(page).get_data(True))}
    first = client.post(page, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert _count(model) == before + 1
    replay = client.post(page, data=data)  # Back, then submit the same rendered form again
    assert replay.status_code == 302 and replay.headers["Location"] == first.headers["Location"]
    assert _count(model) == before + 1
    landed = client.get(replay.headers["Location"]).get_data(as_text=True)
    assert "该表单已经提交过，没有重复创建" in landed
    fresh = {**data, "form_token": form_token(client.get(page).get_data(True))}  # a new rendering is a new form
    if model is Organization:
        fresh.update(credit_code=valid_credit_code(), name="淄博另一家新材料有限公司")
    if model is Transfer:
        fresh["contract_number"] = "HT-2030-8"
    assert client.post(page, data=fresh).status_code == 302
    assert _count(model) == before + 2


def test_follow_up_note_is_added_once(client: FlaskClient, make_user: Callable[..., User], intent: Intent) -> None:
    login(client, make_user("staff"))
    token = form_token(client.get(f"/deals/intents/{intent.id}").get_data(True))
    data = {"noted_on": "2025-02-01", "text": "已寄送样品", "form_token": token}
    assert client.post(f"/deals/intents/{intent.id}/notes", data=data).status_code == 302
    replay = client.post(f"/deals/intents/{intent.id}/notes", data=data)
    assert replay.status_code == 302
    assert _count(IntentNote) == 1


def test_a_failed_submit_does_not_consume_the_token(client: FlaskClient, make_user: Callable[..., User],
                                                    default_chains: list[Chain]) -> None:
    login(client, make_user("researcher"))
    data = {**_result(default_chains[0]), "form_token": form_token(client.get("/results/new").get_data(True))}
    assert client.post("/results/new", data={**data, "title": ""}).status_code == 200
    assert client.post("/results/new", data=data).status_code == 302
    assert _count(Result) == 1
