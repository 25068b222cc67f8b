"""Registration, sign-in lockout, password policy, API tokens."""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Organization, User
from matchmaker.models._base import as_utc
from matchmaker.services import accounts
from matchmaker.services.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from tests.conftest import PASSWORD, valid_credit_code


def registration(**overrides: Any) -> dict[str, Any]:
    data = {"role": "researcher", "username": "zhang.san", "password": "Fluoro-Silicon-2026",
            "display_name": "张三", "email": "zhang.san@example.edu.cn", "org_name": "鲁中理工大学",
            "org_kind": "university",
            "org_credit_code": valid_credit_code()}
    data.update(overrides)
    return data


def test_register_creates_user_and_organization(app: Any) -> None:
    user = accounts.register(registration())
    assert user.role == "researcher" and user.org is not None and user.org.kind == "university"
    assert user.password_hash != "Fluoro-Silicon-2026"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"create", "register"} <= actions


@pytest.mark.parametrize(("overrides", "field"), [
    ({"password": "short"}, "password"),
    ({"password": "password123"}, "password"),
    ({"password": "zhang.san-is-me"}, "password"),
    ({"username": "a b"}, "username"),
    ({"role": "staff"}, "role"),
    ({"org_credit_code": "91350100M000100Y4Z"}, "org_credit_code"),
    ({"org_kind": "company"}, "org_kind"),
])
def test_register_rejects_bad_input_and_stores_nothing(app: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        accounts.register(registration(**overrides))
    assert field in exc.value.errors
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.username == "zhang.san")) is None
    assert db.session.scalar(select(Organization).where(Organization.name == "鲁中理工大学")) is None


def test_duplicate_credit_code_is_refused(app: Any, make_org: Any) -> None:
    org = make_org(kind="university")
    with pytest.raises(ValidationFailed) as exc:
        accounts.register(registration(org_credit_code=org.credit_code.lower()))
    assert "org_credit_code" in exc.value.errors


def test_lockout_says_until_when_without_telling_whether_the_password_was_right(app: Any, make_user: Any) -> None:
    """Issue 7 defect 9: a locked account used to answer "wrong password" forever."""
    user = make_user("company", username="lockme")
    before_lock = set()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        with pytest.raises(AuthenticationFailed) as exc:
            accounts.authenticate("lockme", "wrong-password")
        before_lock.add(str(exc.value.message))
    with pytest.raises(AuthenticationFailed) as exc:
        accounts.authenticate("nobody-here", PASSWORD)
    before_lock.add(str(exc.value.message))
    assert before_lock == {str(accounts.LOGIN_FAILED)}  # one message for unknown user and wrong password

    with pytest.raises(AuthenticationFailed) as exc:
        accounts.authenticate("lockme", "wrong-password")  # the failure that locks
    db.session.refresh(user)
    assert user.locked_until is not None and user.is_locked
    shanghai = as_utc(user.locked_until).astimezone(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=59)
    locked = f"账号已暂时锁定，请于 {shanghai:%H:%M} 后再试。"
    assert str(exc.value.message) == locked and exc.value.code == "account_locked"
    after_lock = set()
    for password in (PASSWORD, "wrong-password"):  # right or wrong: the same answer while locked
        with pytest.raises(AuthenticationFailed) as exc:
            accounts.authenticate("lockme", password)
        after_lock.add(str(exc.value.message))
    assert after_lock == {locked}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "lock")) is not None


def test_admin_unlock_lets_the_right_password_in_and_is_audited(app: Any, make_user: Any) -> None:
    admin = make_user("admin")
    user = make_user("company", username="lockme2")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate("lockme2", "wrong-password")
    with pytest.raises(PermissionDenied):
        accounts.unlock(user.id, make_user("staff"))
    accounts.unlock(user.id, admin)
    assert accounts.authenticate("lockme2", PASSWORD).id == user.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unlock"))
    assert entry is not None and entry.actor_id == admin.id and entry.entity_id == user.id
    assert entry.changes["locked_until"]["after"] is None


def test_successful_login_resets_counter(app: Any, make_user: Any) -> None:
    make_user("company", username="okuser")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate("okuser", "nope-nope-nope")
    user = accounts.authenticate("OKUSER", PASSWORD)
    assert user.failed_logins == 0 and user.last_login_at is not None


def test_disabled_user_cannot_sign_in(app: Any, make_user: Any) -> None:
    make_user("company", username="gone", disabled=True)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate("gone", PASSWORD)


def test_api_token_round_trip_and_revocation(app: Any, make_user: Any) -> None:
    user = make_user("company")
    token, plain = accounts.create_api_token(user, "script")
    assert plain.startswith("mm_") and token.token_hash != plain
    assert accounts.user_for_token(plain) == user
    accounts.revoke_api_token(token.id, user)
    assert accounts.user_for_token(plain) is None
    assert accounts.user_for_token("mm_" + "x" * 40) is None


def test_only_admin_changes_roles(app: Any, make_user: Any) -> None:
    admin, staff, target = make_user("admin"), make_user("staff"), make_user("company")
    with pytest.raises(PermissionDenied):
        accounts.set_role(target.id, "staff", staff)
    accounts.set_role(target.id, "staff", admin)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
    assert entry is not None and entry.changes["role"] == {"before": "company", "after": "staff"}
