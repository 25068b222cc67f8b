"""Staff verify self-registered organizations: the queue with the credit-code check, verify, reject, ask changes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Membership, Organization, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, credit_code, fields
from matchmaker.services.errors import Conflict, FieldErrors
from matchmaker.services.notify.notifications import notify_all
from matchmaker.services.organizations import CREDIT_CODE_MESSAGES, get_organization
from matchmaker.services.permissions import require_staff

REVIEWABLE = ("pending", "changes_requested")


@dataclass(frozen=True)
class Locality:
    """What a credit code says about where an organization is registered, for people to read."""

    code: str
    valid: bool
    problem: str
    region_code: str
    is_local: bool
    reason: str


def locality_of(raw: str) -> Locality:
    """Check a credit code and explain the locality derived from it (本地/外地 and why)."""
    code = credit_code.normalize(raw)
    prefix = current_app.config["LOCAL_REGION_PREFIX"]
    city = current_app.config["CITY_NAME"]
    why = credit_code.problem(code) if code else "length"
    if why is not None:
        return Locality(code, False, str(CREDIT_CODE_MESSAGES[why]), "", False, "")
    region = credit_code.region(code)
    local = region.startswith(prefix)
    if local:
        reason = _l("第 3–8 位行政区划代码 %(region)s 以 %(prefix)s 开头，属%(city)s登记，计为本地单位。",
                    region=region, prefix=prefix, city=city)
    else:
        reason = _l("第 3–8 位行政区划代码 %(region)s 不以 %(prefix)s 开头，不属%(city)s登记，计为外地单位；"
                    "如实际在本地经营，可请科技局核实后更正。", region=region, prefix=prefix, city=city)
    return Locality(code, True, "", region, local, str(reason))


@dataclass(frozen=True)
class OrgReview:
    """One row of the verification queue."""

    org: Organization
    locality: Locality
    applicants: list[User]


def verification_queue(actor: User | None) -> list[OrgReview]:
    """Organizations waiting for staff (pending, or resubmitted after changes), oldest first."""
    require_staff(actor)
    orgs = db.session.scalars(select(Organization).where(Organization.status.in_(REVIEWABLE))
                              .order_by(Organization.created_at, Organization.id))
    return [OrgReview(o, locality_of(o.credit_code), _members(o.id)) for o in orgs]


def _members(org_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.org_id == org_id).order_by(User.id)))


def _decide(org_id: int, status: str, reason: Any, actor: User | None, *, reason_required: bool) -> Organization:
    user = require_staff(actor)
    org = get_organization(org_id)
    if org.status not in REVIEWABLE and not (status == "verified" and org.status == "rejected"):
        raise Conflict(_l("该单位不在待认证状态。"), code="bad_status")
    errors = FieldErrors()
    note = fields.text(errors, {"reason": reason or ""}, "reason", required=reason_required, max_len=1000)
    errors.raise_if_any()
    changes = audit.apply_changes(org, {"status": status, "review_note": note})
    if status == "verified":
        org.verified_at = utcnow()
    audit.record(user, {"verified": "verify", "rejected": "reject", "changes_requested": "request_changes"}[status],
                 org, changes, note=note)
    subject = {"verified": "org_verified", "rejected": "org_rejected", "changes_requested": "org_changes"}[status]
    notify_all(_members(org.id), "org_reviewed", subject, {"org": org.name, "reason": note},
               link=f"/orgs/{org.id}")
    db.session.commit()
    return org


def verify_organization(org_id: int, actor: User | None) -> Organization:
    """Staff confirm the organization is who it says; its members may now post and send requests."""
    return _decide(org_id, "verified", "", actor, reason_required=False)


def reject_organization(org_id: int, reason: Any, actor: User | None) -> Organization:
    """Staff refuse the organization, with a reason its members see."""
    return _decide(org_id, "rejected", reason, actor, reason_required=True)


def request_changes(org_id: int, reason: Any, actor: User | None) -> Organization:
    """Staff send the record back to its manager to correct, with what to change."""
    return _decide(org_id, "changes_requested", reason, actor, reason_required=True)


def notify_staff_pending(org: Organization) -> None:
    """Tell staff a new or changed organization waits in the queue (inside the caller's transaction)."""
    from matchmaker.services.notify.notifications import staff_users

    notify_all(staff_users(), "org_verification", "org_pending", {"org": org.name}, link="/people/verification")
