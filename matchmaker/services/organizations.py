"""Organizations: creation with credit-code checks, lookups, locality."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from matchmaker.extensions import db
from matchmaker.models import Organization, User
from matchmaker.models.organization import ORG_KINDS
from matchmaker.services import audit, credit_code, fields
from matchmaker.services.errors import FieldErrors, NotFound
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.permissions import require_staff

CREDIT_CODE_MESSAGES = {
    "length": _l("统一社会信用代码应为 18 位。"),
    "characters": _l("统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）。"),
    "region": _l("统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）。"),
    "check": _l("统一社会信用代码校验位不正确，请核对是否有输错的字符。"),
}


def clean_organization(data: dict[str, Any], errors: FieldErrors, *, existing: Organization | None = None
                       ) -> dict[str, Any]:
    """Validate an organization's fields; duplicate names or codes are field errors."""
    clean = {
        "name": fields.text(errors, data, "name", required=True, min_len=2, max_len=200),
        "kind": fields.choice(errors, data, "kind", ORG_KINDS),
        "district": fields.text(errors, data, "district", max_len=50),
        "address": fields.text(errors, data, "address", max_len=200),
        "contact_name": fields.text(errors, data, "contact_name", max_len=50),
        "contact_phone": fields.phone(errors, data, "contact_phone"),
        "contact_email": fields.email(errors, data, "contact_email"),
        "description": fields.text(errors, data, "description", max_len=2000),
    }
    code = credit_code.normalize(str(data.get("credit_code") or ""))
    if not code:
        errors.add("credit_code", _l("此项为必填项。"))
    elif (why := credit_code.problem(code)) is not None:
        errors.add("credit_code", CREDIT_CODE_MESSAGES[why])
    clean["credit_code"] = code
    clean["region_code"] = credit_code.region(code) if len(code) == 18 else ""
    _check_unique(clean, errors, existing)
    return clean


def _check_unique(clean: dict[str, Any], errors: FieldErrors, existing: Organization | None) -> None:
    others = select(Organization).where(
        or_(Organization.credit_code == clean["credit_code"], func.lower(Organization.name) == clean["name"].lower())
    )
    if existing is not None:
        others = others.where(Organization.id != existing.id)
    for other in db.session.scalars(others):
        if other.credit_code == clean["credit_code"]:
            errors.add("credit_code", _l("该统一社会信用代码已被“%(name)s”登记。", name=other.name))
        else:
            errors.add("name", _l("已存在同名单位。"))


def create_organization(data: dict[str, Any], actor: User | None) -> Organization:
    """Staff register an organization."""
    require_staff(actor)
    errors = FieldErrors()
    clean = clean_organization(data, errors)
    errors.raise_if_any()
    org = Organization(**clean)
    db.session.add(org)
    audit.record(actor, "create", org, {k: {"after": v} for k, v in clean.items()})
    db.session.commit()
    return org


def update_organization(org_id: int, data: dict[str, Any], actor: User | None) -> Organization:
    """Staff correct an organization's record."""
    user = require_staff(actor)
    org = get_organization(org_id)
    errors = FieldErrors()
    clean = clean_organization(data, errors, existing=org)
    errors.raise_if_any()
    changes = audit.apply_changes(org, clean)
    if changes:
        audit.record(user, "update", org, changes)
    db.session.commit()
    return org


def set_local_override(org_id: int, local: bool | None, reason: str, actor: User | None) -> Organization:
    """Staff override the derived locality; the reason is required and kept in the audit log."""
    user = require_staff(actor)
    org = get_organization(org_id)
    errors = FieldErrors()
    reason = fields.text(errors, {"reason": reason}, "reason", required=local is not None, max_len=500)
    errors.raise_if_any()
    changes = audit.apply_changes(org, {"local_override": local})
    audit.record(user, "override_local", org, changes, note=reason)
    db.session.commit()
    return org


def get_organization(org_id: int) -> Organization:
    return get_or_not_found(Organization, org_id, _l("找不到该单位。"))


def get_visible_organization(org_id: int, actor: User | None) -> Organization:
    """A verified organization for anyone; an unverified one only for staff and its own accounts."""
    org = get_organization(org_id)
    own = actor is not None and actor.is_active and actor.org_id == org.id
    if org.status != "verified" and not (own or (actor is not None and actor.is_active and actor.is_staff)):
        raise NotFound(_l("找不到该单位。"))
    return org


def is_local(org: Organization) -> bool:
    return org.is_local(current_app.config["LOCAL_REGION_PREFIX"])


def list_organizations(*, kind: str | None = None, q: str = "", page: int = 1, per_page: int = 20,
                       include_unverified: bool = False) -> tuple[list[Organization], int]:
    """Verified organizations by name (staff may ask for all), optionally of one kind or matching a name fragment."""
    stmt = select(Organization)
    if not include_unverified:
        stmt = stmt.where(Organization.status == "verified")
    if kind in ORG_KINDS:
        stmt = stmt.where(Organization.kind == kind)
    if q.strip():
        stmt = stmt.where(Organization.name.contains(q.strip(), autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Organization.kind, Organization.name)
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def organizations_for_registration() -> list[Organization]:
    """Existing verified organizations a new researcher or company may ask to join (the service checks the kind)."""
    kinds = ("university", "institute", "company")
    return list(db.session.scalars(select(Organization).where(Organization.kind.in_(kinds),
                                                              Organization.status == "verified")
                                   .order_by(Organization.name)))
