"""Memberships: join requests to existing organizations, their approval, managers and profile edits."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Membership, Organization, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.notify.notifications import notify, notify_all, staff_users
from matchmaker.services.organizations import clean_organization, get_organization
from matchmaker.services.people.verification import notify_staff_pending
from matchmaker.services.permissions import is_staff, manages, require_staff, require_user

PROFILE_FIELDS = ("name", "kind", "credit_code", "district", "address", "contact_name", "contact_phone",
                  "contact_email", "description")
REVERIFY_FIELDS = ("name", "credit_code")
"""Changing who the organization is sends it back to staff verification."""


def managers_of(org_id: int) -> list[User]:
    """Active managers of an organization."""
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.org_id == org_id, Membership.role == "manager", Membership.status == "active")))


def add_founder(user: User, org: Organization) -> Membership:
    """The account that registers a new organization manages it (the organization itself waits for staff)."""
    membership = Membership(user=user, org=org, role="manager", status="active")
    db.session.add(membership)
    notify_staff_pending(org)
    return membership


def request_join(user: User, org: Organization) -> Membership:
    """The account asks to join an existing organization; its managers (or, with none, staff) are told."""
    membership = Membership(user=user, org=org, role="member", status="pending")
    db.session.add(membership)
    deciders = managers_of(org.id) or staff_users()
    notify_all(deciders, "join_requested", "join_requested", {"user": user.display_name, "org": org.name},
               link="/people/members")
    return membership


def join_queue(actor: User | None) -> list[Membership]:
    """Pending join requests the actor may decide: staff see all, a manager those of their organization."""
    user = require_user(actor)
    stmt = select(Membership).where(Membership.status == "pending").order_by(Membership.created_at, Membership.id)
    if not is_staff(user):
        membership = getattr(user, "membership", None)
        if not manages(user, membership.org_id if membership else -1):
            return []
        stmt = stmt.where(Membership.org_id == membership.org_id)
    return list(db.session.scalars(stmt))


def members_of(org_id: int, actor: User | None) -> list[Membership]:
    """Every membership of an organization, for its managers and staff."""
    user = require_user(actor)
    if not (is_staff(user) or manages(user, org_id)):
        raise PermissionDenied(_l("只有单位管理员或科技局工作人员可以查看成员。"))
    return list(db.session.scalars(select(Membership).where(Membership.org_id == org_id)
                                   .order_by(Membership.status, Membership.id)))


@dataclass(frozen=True)
class Roster:
    """An organization's members as its managers and staff see them, and what the reader may do there."""

    org: Organization
    rows: list[tuple[Membership, frozenset[str]]]
    """Each membership with what the reader may do to it: "manager" (name), "member" (un-name)."""
    may_name_managers: bool
    """Only staff name or un-name managers (a manager could otherwise hand the organization to anyone)."""


def may_name_managers(actor: User | None) -> bool:
    """Only staff name or un-name managers (a manager could otherwise hand the organization to anyone)."""
    return is_staff(actor)


def roster(org_id: int, actor: User | None) -> Roster:
    """The members page: every membership of the organization (managers of it and staff only)."""
    members, staff = members_of(org_id, actor), may_name_managers(actor)

    def actions(m: Membership) -> frozenset[str]:
        if not staff or m.status == "rejected":
            return frozenset()
        return frozenset({"member"} if m.role == "manager" else {"manager"})
    return Roster(get_organization(org_id), [(m, actions(m)) for m in members], staff)


def _get_decidable(membership_id: int, user: User) -> Membership:
    membership = get_or_not_found(Membership, membership_id, _l("找不到该申请。"))
    if not (is_staff(user) or manages(user, membership.org_id)):
        raise NotFound(_l("找不到该申请。"))  # other organizations' members are not theirs to see
    return membership


def decide_join(membership_id: int, approve: bool, actor: User | None, reason: str = "") -> Membership:
    """A manager of the organization or staff approve or reject a join request."""
    user = require_user(actor)
    membership = _get_decidable(membership_id, user)
    if membership.status != "pending":
        raise Conflict(_l("该申请已处理。"), code="bad_status")
    errors = FieldErrors()
    note = fields.text(errors, {"reason": reason}, "reason", max_len=500)
    errors.raise_if_any()
    status = "active" if approve else "rejected"
    changes = audit.apply_changes(membership, {"status": status, "note": note})
    membership.decided_by_id, membership.decided_at = user.id, utcnow()
    audit.record(user, "approve_join" if approve else "reject_join", membership, changes, note=note)
    notify(membership.user, "join_decided", "join_approved" if approve else "join_rejected",
           {"org": membership.org.name}, link=f"/orgs/{membership.org_id}")
    db.session.commit()
    return membership


def set_manager(membership_id: int, manager: bool, actor: User | None) -> Membership:
    """Staff name (or un-name) an organization's manager; the membership becomes active."""
    user = require_staff(actor)
    membership = get_or_not_found(Membership, membership_id, _l("找不到该成员。"))
    if membership.status == "rejected":
        raise Conflict(_l("该账号的加入申请未获批准，不能设为单位管理员。"), code="bad_status")
    changes = audit.apply_changes(membership, {"role": "manager" if manager else "member", "status": "active"})
    if changes:
        membership.decided_by_id, membership.decided_at = user.id, utcnow()
        audit.record(user, "set_manager", membership, changes)
    db.session.commit()
    return membership


def update_profile(org_id: int, data: dict[str, Any], actor: User | None) -> Organization:
    """A manager edits the organization's profile; a new name or credit code goes back to staff verification."""
    user = require_user(actor)
    if not (manages(user, org_id) or is_staff(user)):
        raise PermissionDenied(_l("只有单位管理员可以修改单位信息。"))
    org = get_organization(org_id)
    errors = FieldErrors()
    merged = {f: getattr(org, f) for f in PROFILE_FIELDS} | {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    merged["kind"] = org.kind  # the kind decides who may post what; only staff change it (orgs.edit)
    clean = clean_organization(merged, errors, existing=org)
    errors.raise_if_any()
    resubmitted = org.status == "changes_requested"  # staff asked for corrections: any edit sends it back
    changes = audit.apply_changes(org, clean)
    if not is_staff(user) and changes and (resubmitted or any(f in changes for f in REVERIFY_FIELDS)):
        changes["status"] = {"before": org.status, "after": "pending"}
        org.status = "pending"
        notify_staff_pending(org)
    if changes:
        audit.record(user, "update_profile", org, changes)
    db.session.commit()
    return org


def my_membership(actor: User | None) -> Membership | None:
    user = require_user(actor)
    return getattr(user, "membership", None)
