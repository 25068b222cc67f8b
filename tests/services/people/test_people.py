"""Organizations you can trust: pending until verified, join requests, managers, re-verification, locality."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Membership, Notification, Organization, User
from matchmaker.services import accounts, organizations, permissions
from matchmaker.services.errors import NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.people import memberships, verification
from matchmaker.services.postings import lifecycle as postings
from tests.conftest import result_data, valid_credit_code
from tests.services.test_accounts import registration


def subjects(user: User) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == user.id)))


def test_a_new_organization_is_pending_hidden_and_cannot_post(app: Any, default_chains: Any,
                                                               make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    user = accounts.register(registration())
    org = user.org
    assert org is not None and org.status == "pending"
    assert user.membership.role == "manager" and user.membership.status == "active"
    assert "org_pending" in subjects(staff)
    assert org not in organizations.list_organizations(q="鲁中理工")[0]
    assert org in organizations.list_organizations(q="鲁中理工", include_unverified=True)[0]
    assert org not in organizations.organizations_for_registration()
    with pytest.raises(NotFound):
        organizations.get_visible_organization(org.id, None)
    assert organizations.get_visible_organization(org.id, user) is org
    with pytest.raises(PermissionDenied) as exc:
        postings.create_posting("result", result_data(default_chains[0].id), user)
    assert "尚未通过科技局认证" in str(exc.value.message)

    verification.verify_organization(org.id, staff)
    assert org.status == "verified" and org.verified_at is not None
    assert "org_verified" in subjects(user)
    assert postings.create_posting("result", result_data(default_chains[0].id), user).status == "draft"


def test_queue_shows_code_check_and_locality_and_decisions_need_reasons(app: Any, make_user: Callable[..., User],
                                                                        make_org: Callable[..., Organization]) -> None:
    staff = make_user("staff")
    local = make_org(status="pending", region="370303")
    remote = make_org(status="pending", region="110105")
    rows = {r.org.id: r for r in verification.verification_queue(staff)}
    assert rows[local.id].locality.is_local and "3703" in rows[local.id].locality.reason
    assert not rows[remote.id].locality.is_local and "外地" in rows[remote.id].locality.reason
    with pytest.raises(ValidationFailed):
        verification.reject_organization(remote.id, "", staff)
    verification.request_changes(remote.id, "请上传营业执照扫描件。", staff)
    assert remote.status == "changes_requested" and remote.review_note == "请上传营业执照扫描件。"
    with pytest.raises(PermissionDenied):
        verification.verify_organization(local.id, make_user("company"))


def test_locality_explains_a_bad_code(app: Any) -> None:
    info = verification.locality_of("91370303MA3C00000X")
    assert not info.valid and info.problem
    assert verification.locality_of(valid_credit_code("370303")).is_local


def test_joining_an_existing_organization_waits_for_its_manager(app: Any, default_chains: Any,
                                                                make_user: Callable[..., User],
                                                                make_org: Callable[..., Organization]) -> None:
    org = make_org(kind="university")
    manager = make_user("researcher", org=org, member_role="manager")
    user = accounts.register(registration(org_id=str(org.id), org_name="", org_credit_code=""))
    assert user.org_id == org.id and user.membership.status == "pending"
    assert "join_requested" in subjects(manager)
    with pytest.raises(PermissionDenied) as exc:
        postings.create_posting("result", result_data(default_chains[0].id), user)
    assert "尚未获批准" in str(exc.value.message)
    outsider = make_user("researcher")
    assert memberships.join_queue(outsider) == []
    with pytest.raises(NotFound):
        memberships.decide_join(user.membership.id, True, outsider)
    assert memberships.join_queue(manager) == [user.membership]
    memberships.decide_join(user.membership.id, True, manager)
    assert user.membership.status == "active" and "join_approved" in subjects(user)
    assert postings.create_posting("result", result_data(default_chains[0].id), user).org_id == org.id


def test_a_pending_organization_cannot_be_joined(app: Any, make_org: Callable[..., Organization]) -> None:
    org = make_org(kind="university", status="pending")
    with pytest.raises(ValidationFailed) as exc:
        accounts.register(registration(org_id=str(org.id), org_name="", org_credit_code=""))
    assert "org_id" in exc.value.errors


def test_manager_edits_profile_and_a_new_name_goes_back_to_staff(app: Any, make_user: Callable[..., User],
                                                                 make_org: Callable[..., Organization]) -> None:
    staff = make_user("staff")
    org = make_org(kind="company")
    manager = make_user("company", org=org, member_role="manager")
    member = make_user("company", org=org)
    with pytest.raises(PermissionDenied):
        memberships.update_profile(org.id, {"description": "改"}, member)
    memberships.update_profile(org.id, {"description": "专注密封材料。", "contact_phone": "13800001111"}, manager)
    assert org.status == "verified" and org.description == "专注密封材料。"
    memberships.update_profile(org.id, {"name": "淄博新名称密封科技有限公司"}, manager)
    assert org.status == "pending" and "org_pending" in subjects(staff)


def test_staff_name_a_manager(app: Any, make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    user = make_user("company", membership="pending")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership is not None
    memberships.set_manager(membership.id, True, staff)
    assert membership.role == "manager" and membership.status == "active"
    assert permissions.manages(user, user.org_id)


def test_corrections_asked_for_go_back_to_the_queue(app: Any, make_user: Callable[..., User],
                                                    make_org: Callable[..., Organization]) -> None:
    staff = make_user("staff")
    org = make_org(kind="company", status="pending")
    manager = make_user("company", org=org, member_role="manager")
    verification.request_changes(org.id, "请补充单位地址。", staff)
    memberships.update_profile(org.id, {"address": "淄博市张店区华光路 1 号"}, manager)
    assert org.status == "pending"
    assert org in [r.org for r in verification.verification_queue(staff)]
