"""Transfers: validation, unique contract numbers, locality derived and overridden, the result becomes transferred."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Result, Transfer, User
from matchmaker.services.deals import intents, transfers
from matchmaker.services.errors import PermissionDenied, ValidationFailed
from matchmaker.services.matching import change_log
from matchmaker.web.deals import choices


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def contract(make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> dict[str, Any]:
    result = make_posting("result")
    buyer = make_org(kind="company", region="370303")  # 淄博 张店
    return {"result_id": str(result.id), "buyer_id": str(buyer.id), "contract_number": "2025-zb-001",
            "contract_type": "license", "amount_wan": "120", "signed_on": "2025-06-01", "local": "auto"}


def test_record_transfer_marks_result_transferred(staff: User, contract: dict[str, Any]) -> None:
    version = change_log.newest(db.session)
    transfer = transfers.record_transfer(contract, staff)
    assert transfer.contract_number == "2025-ZB-001" and transfer.local_override is None
    result = db.session.get(Result, transfer.result_id)
    assert result.status == "transferred"
    assert change_log.newest(db.session) > version  # one change-log row: still public, the stamp moved
    actions = {(e.entity_type, e.action) for e in db.session.scalars(select(AuditEntry))}
    assert {("transfer", "create"), ("result", "transfer")} <= actions


def test_locality_is_derived_from_the_buyer(staff: User, contract: dict[str, Any],
                                            make_org: Callable[..., Any]) -> None:
    local = transfers.record_transfer(contract, staff)
    beijing = make_org(kind="company", region="110108")
    other = transfers.record_transfer({**contract, "buyer_id": str(beijing.id), "contract_number": "2025-BJ-9"},
                                      staff)
    assert transfers.is_local(local) and not transfers.is_local(other)
    assert transfers.list_transfers(staff, transfers.TransferFilter(local=True)) == [local]
    assert transfers.list_transfers(staff, transfers.TransferFilter(local=False)) == [other]
    assert transfers.list_transfers(staff, transfers.TransferFilter(year=2024)) == []


def test_override_needs_a_reason_kept_in_the_audit(staff: User, contract: dict[str, Any],
                                                   make_org: Callable[..., Any]) -> None:
    beijing = make_org(kind="company", region="110108")
    data = {**contract, "buyer_id": str(beijing.id), "local": "yes"}
    with pytest.raises(ValidationFailed) as caught:
        transfers.record_transfer(data, staff)
    assert "override_reason" in caught.value.errors
    db.session.rollback()
    transfer = transfers.record_transfer({**data, "override_reason": "在淄博设立的分公司实施转化"}, staff)
    assert transfers.is_local(transfer) and not transfers.derived_local(transfer)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "transfer")).one()
    assert entry.note == "在淄博设立的分公司实施转化"
    transfers.update_transfer(transfer.id, {**data, "local": "auto"}, staff)
    assert transfer.local_override is None and transfer.override_reason == ""
    assert not transfers.is_local(transfer)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"contract_number": ""}, "contract_number"),
    ({"contract_type": "gift"}, "contract_type"),
    ({"signed_on": ""}, "signed_on"),
    ({"amount_wan": "-5"}, "amount_wan"),
    ({"buyer_id": "999999"}, "buyer_id"),
    ({"result_id": ""}, "result_id"),
    ({"local": "maybe"}, "local"),
])
def test_bad_transfer_fields_store_nothing(staff: User, contract: dict[str, Any], overrides: dict[str, Any],
                                           field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        transfers.record_transfer({**contract, **overrides}, staff)
    assert field in caught.value.errors
    db.session.rollback()
    assert db.session.scalar(select(Transfer.id)) is None
    assert db.session.get(Result, int(contract["result_id"])).status == "published"


def test_contract_number_is_unique(staff: User, contract: dict[str, Any]) -> None:
    transfers.record_transfer(contract, staff)
    with pytest.raises(ValidationFailed) as caught:
        transfers.record_transfer({**contract, "contract_number": " 2025-ZB-001 "}, staff)
    assert "contract_number" in caught.value.errors


def test_unpublished_result_cannot_be_transferred(staff: User, contract: dict[str, Any],
                                                  make_posting: Callable[..., Any]) -> None:
    draft = make_posting("result", status="draft")
    with pytest.raises(ValidationFailed) as caught:
        transfers.record_transfer({**contract, "result_id": str(draft.id)}, staff)
    assert "result_id" in caught.value.errors


def test_linked_intent_is_signed(staff: User, contract: dict[str, Any]) -> None:
    intent = intents.create_intent({"result_id": contract["result_id"], "company_id": contract["buyer_id"],
                                    "logged_on": "2025-05-01"}, staff)
    values = choices.prefill_from_intent(intents.get_intent(intent.id, staff))
    assert values["buyer_id"] == contract["buyer_id"]
    transfers.record_transfer({**contract, "intent_id": str(intent.id)}, staff)
    assert intent.status == "signed"
    changes = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.entity_type == "intent",
                                                                  AuditEntry.action == "set_status")).all()
    assert [c["status"]["after"] for c in changes] == ["negotiating", "signed"]


def test_intent_of_another_result_is_refused(staff: User, contract: dict[str, Any],
                                             make_posting: Callable[..., Any]) -> None:
    other = make_posting("result")
    intent = intents.create_intent({"result_id": str(other.id), "company_id": contract["buyer_id"],
                                    "logged_on": "2025-05-01"}, staff)
    with pytest.raises(ValidationFailed) as caught:
        transfers.record_transfer({**contract, "intent_id": str(intent.id)}, staff)
    assert "intent_id" in caught.value.errors


@pytest.mark.parametrize("role", ["researcher", "company"])
def test_only_staff(make_user: Callable[..., User], contract: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDenied):
        transfers.record_transfer(contract, make_user(role))
