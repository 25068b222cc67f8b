"""The field rules of results and needs, shared by pages, API and import."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import Chain
from matchmaker.models.need import NEED_TYPES
from matchmaker.models.posting import MODES
from matchmaker.models.result import IP_TYPES, STAGES
from matchmaker.services import fields
from matchmaker.services.errors import FieldErrors


def _common(data: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    clean = {
        "title": fields.text(errors, data, "title", required=True, min_len=4, max_len=200),
        "keywords": fields.keywords(errors, data),
        "modes": fields.choices(errors, data, "modes", MODES),
        "contact_name": fields.text(errors, data, "contact_name", max_len=50),
        "contact_phone": fields.phone(errors, data, "contact_phone"),
        "contact_email": fields.email(errors, data, "contact_email"),
        "chain_id": _chain_id(data, errors),
    }
    if not clean["contact_phone"] and not clean["contact_email"] and "contact_phone" not in errors.errors:
        errors.add("contact_phone", _l("请至少填写联系电话或电子邮箱之一。"))
    return clean


def _chain_id(data: dict[str, Any], errors: FieldErrors) -> int | None:
    raw = data.get("chain_id")
    if raw in (None, ""):
        errors.add("chain_id", _l("请选择所属产业链。"))
        return None
    chain = db.session.get(Chain, int(raw)) if str(raw).isdigit() else None
    if chain is None:
        errors.add("chain_id", _l("不是有效的产业链。"))
        return None
    return chain.id


def clean_result(data: dict[str, Any], *, today: date | None = None) -> tuple[dict[str, Any], FieldErrors]:
    """A result's fields, validated; a new expiry may not lie in the past."""
    errors = FieldErrors()
    clean = _common(data, errors)
    clean.update(
        summary=fields.text(errors, data, "summary", required=True, min_len=20, max_len=5000),
        innovations=fields.text(errors, data, "innovations", max_len=3000),
        indicators=fields.text(errors, data, "indicators", max_len=3000),
        trl=fields.integer(errors, data, "trl", low=1, high=9, required=True),
        stage=fields.choice(errors, data, "stage", STAGES),
        ip_type=fields.choice(errors, data, "ip_type", IP_TYPES, required=False, default="none"),
        patent_numbers=fields.text(errors, data, "patent_numbers", max_len=500),
        price_wan=fields.amount(errors, data, "price_wan"),
        expires_on=fields.day(errors, data, "expires_on", not_before=today),
    )
    return clean, errors


def clean_need(data: dict[str, Any], *, today: date | None = None) -> tuple[dict[str, Any], FieldErrors]:
    """A need's fields, validated; a new deadline may not lie in the past."""
    errors = FieldErrors()
    clean = _common(data, errors)
    clean.update(
        problem=fields.text(errors, data, "problem", required=True, min_len=20, max_len=5000),
        targets=fields.text(errors, data, "targets", max_len=3000),
        need_type=fields.choice(errors, data, "need_type", NEED_TYPES),
        budget_wan=fields.amount(errors, data, "budget_wan"),
        deadline=fields.day(errors, data, "deadline", not_before=today),
        trl_min=fields.integer(errors, data, "trl_min", low=1, high=9),
    )
    return clean, errors


def clean_posting(kind: str, data: dict[str, Any], *, today: date | None = None
                  ) -> tuple[dict[str, Any], FieldErrors]:
    """A posting's fields; `today` (on create and import) refuses an expiry or deadline already past."""
    return clean_result(data, today=today) if kind == "result" else clean_need(data, today=today)


def check_posting(kind: str, data: dict[str, Any], *, today: date | None = None) -> None:
    """Raise ValidationFailed with every field error of `data` (saves nothing): the same rules as saving."""
    _clean, errors = clean_posting(kind, data, today=today)
    errors.raise_if_any()
