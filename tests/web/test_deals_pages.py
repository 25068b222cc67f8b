"""Intent and transfer pages: lists with filters, forms with errors, notes, status buttons."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Intent, Result, Transfer, User
from matchmaker.services import fields
from tests.conftest import login


@pytest.fixture
def staff_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    return login(client, make_user("staff"))


@pytest.fixture
def intent(make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> Intent:
    result = make_posting("result")
    firm = make_org(kind="company", name="淄博示范新材料有限公司")
    row = Intent(result_id=result.id, company_id=firm.id, logged_on=date(2020, 1, 5), last_activity_on=date(2020, 1, 5))
    db.session.add(row)
    db.session.commit()
    return row


def test_pages_render_for_staff(staff_client: FlaskClient, intent: Intent) -> None:
    for path in ("/deals/intents", "/deals/intents?status=open&stale=1", "/deals/intents/new",
                 f"/deals/intents/{intent.id}", f"/deals/intents/{intent.id}/edit", "/deals/transfers",
                 "/deals/transfers?local=1&year=2025", f"/deals/transfers/new?intent_id={intent.id}"):
        assert staff_client.get(path).status_code == 200, path


def test_stale_intents_are_flagged(staff_client: FlaskClient, intent: Intent) -> None:
    page = staff_client.get("/deals/intents?stale=1").get_data(as_text=True)
    assert "久未跟进" in page and intent.result.title in page


def test_non_staff_are_refused(client: FlaskClient, make_user: Callable[..., User]) -> None:
    login(client, make_user("researcher"))
    assert client.get("/deals/intents").status_code == 403
    assert client.get("/deals/transfers").status_code == 403


def test_intent_form_errors_store_nothing(staff_client: FlaskClient, intent: Intent) -> None:
    response = staff_client.post("/deals/intents/new", data={"result_id": str(intent.result_id),
                                                              "company_id": "", "logged_on": "昨天"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "请选择一项" in text and "日期格式应为" in text
    assert db.session.scalar(select(func.count(Intent.id))) == 1


def test_status_and_notes(staff_client: FlaskClient, intent: Intent) -> None:
    staff_client.post(f"/deals/intents/{intent.id}/status", data={"status": "negotiating"})
    db.session.refresh(intent)
    assert intent.status == "negotiating"
    bad = staff_client.post(f"/deals/intents/{intent.id}/notes", data={"noted_on": "", "text": ""})
    assert bad.status_code == 422 and "此项为必填项" in bad.get_data(as_text=True)
    today = fields.today()
    staff_client.post(f"/deals/intents/{intent.id}/notes", data={"noted_on": today.isoformat(), "text": "已寄送样品"})
    db.session.refresh(intent)
    assert intent.last_activity_on == today and [n.text for n in intent.notes] == ["已寄送样品"]
    page = staff_client.get(f"/deals/intents/{intent.id}").get_data(as_text=True)
    assert "已寄送样品" in page and "登记成果转化" in page


def test_record_transfer_form(staff_client: FlaskClient, intent: Intent) -> None:
    data = {"result_id": str(intent.result_id), "buyer_id": str(intent.company_id), "intent_id": "",
            "contract_number": "HT-2025-7", "contract_type": "transfer", "amount_wan": "88", "signed_on": "2025-07-01",
            "local": "no", "override_reason": ""}
    response = staff_client.post("/deals/transfers/new", data=data)
    assert response.status_code == 200 and "必须填写理由" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Transfer.id))) == 0
    response = staff_client.post("/deals/transfers/new", data={**data, "local": "auto"})
    assert response.status_code == 302
    transfer = db.session.scalars(select(Transfer)).one()
    assert db.session.get(Result, transfer.result_id).status == "transferred"
    assert "本地" in staff_client.get("/deals/transfers?local=1").get_data(as_text=True)
    detail = staff_client.get(f"/deals/transfers/{transfer.id}").get_data(as_text=True)
    assert "HT-2025-7" in detail and "按受让方统一社会信用代码判定" in detail
