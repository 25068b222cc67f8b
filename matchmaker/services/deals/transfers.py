"""成果转化: signed technology contracts; locality derived from the buyer's credit code, overridable with a reason."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Intent, Organization, Result, Transfer, User
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.models.transfer import CONTRACT_TYPES
from matchmaker.services import audit, fields
from matchmaker.services.deals.intents import change_status, ref_field
from matchmaker.services.errors import FieldErrors
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.matching import change_log
from matchmaker.services.permissions import require_staff

LOCAL_CHOICES = {"auto": None, "yes": True, "no": False}


def clean_transfer(data: dict[str, Any], existing: Transfer | None = None) -> dict[str, Any]:
    """Validate a transfer: references, unique contract number, type, amount, date and any locality override."""
    errors = FieldErrors()
    result = ref_field(errors, data, "result_id", Result, required=True)
    buyer = ref_field(errors, data, "buyer_id", Organization, required=True)
    intent = ref_field(errors, data, "intent_id", Intent, required=False)
    if result is not None and result.status not in PUBLIC_STATUSES:
        errors.add("result_id", _l("只有已发布的成果可以登记转化。"))
    if buyer is not None and buyer.kind == "bureau":
        errors.add("buyer_id", _l("受让方不能是科技局。"))
    if intent is not None and result is not None and intent.result_id != result.id:
        errors.add("intent_id", _l("所选合作意向与该成果不对应。"))
    number = fields.text(errors, data, "contract_number", required=True, max_len=50).upper()
    taken = select(Transfer.id).where(Transfer.contract_number == number)
    if existing is not None:
        taken = taken.where(Transfer.id != existing.id)
    if number and db.session.scalar(taken) is not None:
        errors.add("contract_number", _l("该合同编号已登记。"))
    local = str(data.get("local") or "auto")
    if local not in LOCAL_CHOICES:
        errors.add("local", _l("不是有效的选项。"))
    reason = fields.text(errors, data, "override_reason", max_len=500)
    if LOCAL_CHOICES.get(local) is not None and not reason:
        errors.add("override_reason", _l("手动认定是否本地时必须填写理由。"))
    clean = {
        "result_id": result.id if result else None, "buyer_id": buyer.id if buyer else None,
        "intent_id": intent.id if intent else None, "contract_number": number,
        "contract_type": fields.choice(errors, data, "contract_type", CONTRACT_TYPES),
        "amount_wan": fields.amount(errors, data, "amount_wan"),
        "signed_on": fields.day(errors, data, "signed_on", required=True, past=True),
        "local_override": LOCAL_CHOICES.get(local),
        "override_reason": reason if LOCAL_CHOICES.get(local) is not None else "",
    }
    errors.raise_if_any()
    return clean


def record_transfer(data: dict[str, Any], actor: User | None) -> Transfer:
    """Record a signed contract; the result becomes 'transferred' and a linked intent 'signed'."""
    user = require_staff(actor)
    clean = clean_transfer(data)
    transfer = Transfer(**clean)
    db.session.add(transfer)
    audit.record(user, "create", transfer, {k: {"after": audit._plain(v)} for k, v in clean.items()},
                 note=clean["override_reason"])
    result = db.session.get(Result, clean["result_id"])
    assert result is not None
    if result.status != "transferred":
        audit.record(user, "transfer", result, {"status": {"before": result.status, "after": "transferred"}},
                     note=clean["contract_number"])
        result.status = "transferred"
        change_log.posting_changed(result)  # still public and searchable; the stamp must move
    intent = db.session.get(Intent, clean["intent_id"]) if clean["intent_id"] else None
    if intent is not None and intent.status != "signed":
        if intent.status == "open":
            change_status(intent, "negotiating", user, clean["signed_on"], note=clean["contract_number"])
        change_status(intent, "signed", user, clean["signed_on"], note=clean["contract_number"])
    db.session.commit()
    return transfer


def update_transfer(transfer_id: int, data: dict[str, Any], actor: User | None) -> Transfer:
    """Correct a recorded contract (the result stays transferred)."""
    user = require_staff(actor)
    transfer = get_transfer(transfer_id, user)
    clean = clean_transfer(data, existing=transfer)
    changes = audit.apply_changes(transfer, clean)
    if changes:
        audit.record(user, "update", transfer, changes, note=clean["override_reason"])
    db.session.commit()
    return transfer


def get_transfer(transfer_id: int, actor: User | None) -> Transfer:
    require_staff(actor)
    return get_or_not_found(Transfer, transfer_id, _l("找不到该转化记录。"))


def is_local(transfer: Transfer) -> bool:
    return transfer.is_local(current_app.config["LOCAL_REGION_PREFIX"])


def derived_local(transfer: Transfer) -> bool:
    """What the buyer's credit code says, ignoring any override on the transfer."""
    return transfer.buyer.is_local(current_app.config["LOCAL_REGION_PREFIX"])


@dataclass(frozen=True)
class TransferFilter:
    year: int | None = None
    local: bool | None = None


def list_transfers(actor: User | None, flt: TransferFilter = TransferFilter()) -> list[Transfer]:
    """Transfers newest first, by year and locality (derived, so filtered in Python)."""
    require_staff(actor)
    stmt = select(Transfer).order_by(Transfer.signed_on.desc(), Transfer.id.desc())
    if flt.year:
        stmt = stmt.where(Transfer.signed_on >= date(flt.year, 1, 1), Transfer.signed_on <= date(flt.year, 12, 31))
    rows = list(db.session.scalars(stmt))
    if flt.local is not None:
        rows = [t for t in rows if is_local(t) == flt.local]
    return rows

