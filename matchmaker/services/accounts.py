"""Accounts: registration, sign-in with lockout, roles, API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.extensions import db
from matchmaker.models import ApiToken, Membership, Organization, User
from matchmaker.models._base import as_utc, utcnow
from matchmaker.models.user import ROLES, TOKEN_SCOPES
from matchmaker.services import audit, fields
from matchmaker.services.credentials.password import hash_password
from matchmaker.services.credentials.verify import queue_verification
from matchmaker.services.errors import AuthenticationFailed, FieldErrors, NotFound
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.organizations import clean_organization
from matchmaker.services.passwords import password_problem
from matchmaker.services.people import memberships
from matchmaker.services.permissions import require_admin, require_user
from matchmaker.services.signin import throttle

MAX_TOKEN_DAYS = 3650
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,50}$")
ROLE_ORG_KINDS = {"researcher": ("university", "institute"), "company": ("company",),
                  "staff": ("bureau",), "admin": ("bureau",)}
# One message for unknown users and wrong passwords: nothing to enumerate. A locked account says until when,
# to anyone, whatever the password typed (so the lock message never tells whether it was right).
LOGIN_FAILED = _l("用户名或密码不正确；连续多次失败后账户将被暂时锁定，请稍后再试。")
# Verifying against a fixed hash keeps unknown-user attempts as slow as real ones.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def _clean_account(data: dict[str, Any], errors: FieldErrors, roles: tuple[str, ...],
                   email_required: bool = False) -> dict[str, Any]:
    username = fields.text(errors, data, "username", required=True, max_len=50)
    if username and not USERNAME.match(username):
        errors.add("username", _l("用户名为 3–50 位字母、数字、下划线、点或连字符。"))
    elif username and db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        errors.add("username", _l("该用户名已被使用。"))
    role = fields.choice(errors, data, "role", roles)
    password = str(data.get("password") or "")
    why = password_problem(password, username, min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                           corpus_dir=current_app.config["CORPUS_DIR"])
    if why:
        errors.add("password", why)
    email = fields.email(errors, data, "email")
    if email_required and not email and "email" not in errors.errors:
        errors.add("email", _l("请输入电子邮箱，用于验证账号和找回密码。"))
    return {"username": username, "role": role, "password": password,
            "display_name": fields.text(errors, data, "display_name", max_len=100), "email": email}


def register(data: dict[str, Any]) -> User:
    """A researcher or company signs up, asking to join an existing organization or registering a new one.

    A new organization is pending until staff verify it; joining an existing one waits for its manager or staff.
    """
    errors = FieldErrors()
    account = _clean_account(data, errors, ("researcher", "company"), email_required=True)
    org = _organization_for(data, account["role"], errors)
    errors.raise_if_any()  # nothing has been added to the session before this point
    founded = isinstance(org, dict)
    if isinstance(org, dict):
        org = Organization(**org, status="pending")
        db.session.add(org)
        audit.record(None, "create", org, {k: {"after": getattr(org, k)}
                                           for k in ("name", "kind", "credit_code", "status")})
    assert org is not None
    user = _new_user(account, org)
    membership = memberships.add_founder(user, org) if founded else memberships.request_join(user, org)
    audit.record(user, "register", user, {"role": {"after": user.role}, "org_id": {"after": user.org_id},
                                          "membership": {"after": f"{membership.role}/{membership.status}"}})
    queue_verification(user)
    db.session.commit()
    return user


def _organization_for(data: dict[str, Any], role: str, errors: FieldErrors) -> Organization | dict[str, Any] | None:
    """An existing organization, or the cleaned fields of a new one (not yet added), or None on errors."""
    kinds = ROLE_ORG_KINDS.get(role, ())
    if data.get("org_id"):
        org = db.session.get(Organization, int(data["org_id"])) if str(data["org_id"]).isdigit() else None
        if org is None or org.kind not in kinds or org.status != "verified":
            errors.add("org_id", _l("请选择与账号类型相符的单位。"))
            return None
        return org
    org_data = {"name": data.get("org_name"), "kind": data.get("org_kind") or (kinds[0] if kinds else ""),
                "credit_code": data.get("org_credit_code"), "district": data.get("org_district")}
    if org_data["kind"] not in kinds:
        errors.add("org_kind", _l("单位类型与账号类型不符。"))
        return None
    org_errors = FieldErrors()
    clean = clean_organization(org_data, org_errors)
    for field, messages in org_errors.errors.items():  # re-keyed to the registration form's field names
        for message in messages:
            errors.add(f"org_{field}", message)
    return None if org_errors.errors else clean


def _new_user(account: dict[str, Any], org: Organization | None) -> User:
    user = User(username=account["username"], role=account["role"], org=org,
                display_name=account["display_name"] or account["username"], email=account["email"],
                password_hash=hash_password(account["password"]))
    db.session.add(user)
    db.session.flush()
    return user


def create_user(data: dict[str, Any], actor: User | None = None) -> User:
    """Any role, for the CLI and administrators (actor None means the command line)."""
    if actor is not None:
        require_admin(actor)
    errors = FieldErrors()
    account = _clean_account(data, errors, ROLES)
    org = None
    if data.get("org_id"):
        org = db.session.get(Organization, int(data["org_id"]))
        if org is None:
            errors.add("org_id", _l("找不到该单位。"))
    errors.raise_if_any()
    user = _new_user(account, org)
    if org is not None:  # an administrator vouches for the account's organization
        db.session.add(Membership(user=user, org=org, role="member", status="active"))
    audit.record(actor, "create_user", user, {"role": {"after": user.role}})
    db.session.commit()
    return user


def authenticate(username: str, password: str, address: str | None = None) -> User:
    """The account for these credentials; failures slow down this client (throttle) and, past a high count
    spread over many clients, lock the account."""
    wait = throttle.blocked_until(username, address)
    if wait is not None:
        raise AuthenticationFailed(_throttled_message(wait), code="throttled")
    user = db.session.scalar(select(User).where(func.lower(User.username) == (username or "").strip().lower()))
    now = utcnow()
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        throttle.failed(username, address)
        db.session.commit()
        raise AuthenticationFailed(LOGIN_FAILED)
    locked = user.is_locked
    if locked or user.disabled or not check_password_hash(user.password_hash, password or ""):
        throttle.failed(username, address)
        _count_failure(user, locked)
        if user.is_locked and not user.disabled:
            raise AuthenticationFailed(_locked_message(user), code="account_locked")
        raise AuthenticationFailed(LOGIN_FAILED)
    throttle.succeeded(username, address)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(user, "login", user)
    db.session.commit()
    return user


def _count_failure(user: User, already_locked: bool) -> None:
    cfg = current_app.config
    user.failed_logins += 1
    if not already_locked and user.failed_logins >= cfg["LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        audit.record(user, "lock", user, note="too many failed logins")
    audit.record(user, "login_failed", user)
    db.session.commit()


def _throttled_message(until: Any) -> Any:
    # Seconds matter here: the first waits are short.
    return _l("尝试过于频繁，请于 %(time)s 后再试。", time=format_datetime(until + timedelta(seconds=1), "HH:mm:ss"))


def _locked_message(user: User) -> Any:
    # Shown in the bureau's time zone (BABEL_DEFAULT_TIMEZONE), rounded up to the next minute.
    until = as_utc(user.locked_until) + timedelta(seconds=59)
    return _l("账号已暂时锁定，请于 %(time)s 后再试。", time=format_datetime(until, "HH:mm"))


def unlock(user_id: int, actor: User | None) -> User:
    """Administrators lift a sign-in lockout."""
    admin = require_admin(actor)
    user = get_user(user_id)
    audit.record(admin, "unlock", user, audit.apply_changes(user, {"locked_until": None, "failed_logins": 0}))
    db.session.commit()
    return user


def record_logout(user: User) -> None:
    audit.record(user, "logout", user)
    db.session.commit()


def set_role(user_id: int, role: str, actor: User | None) -> User:
    """Administrators change a role."""
    admin = require_admin(actor)
    user = get_user(user_id)
    errors = FieldErrors()
    role = fields.choice(errors, {"role": role}, "role", ROLES)
    errors.raise_if_any()
    audit.record(admin, "role_change", user, audit.apply_changes(user, {"role": role}))
    db.session.commit()
    return user


def set_disabled(user_id: int, disabled: bool, actor: User | None) -> User:
    """Administrators disable or re-enable an account."""
    admin = require_admin(actor)
    user = get_user(user_id)
    audit.record(admin, "disable" if disabled else "enable", user, audit.apply_changes(user, {"disabled": disabled}))
    db.session.commit()
    return user


def get_user(user_id: int) -> User:
    return get_or_not_found(User, user_id, _l("找不到该用户。"))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(actor: User | None, name: str = "", *, scope: str = "write",
                     expires_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the actor; the plain token is returned once and only its hash is kept."""
    user = require_user(actor)
    errors = FieldErrors()
    if scope not in TOKEN_SCOPES:
        errors.add("scope", _l("请选择令牌权限。"))
    if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
        errors.add("expires_days", _l("有效期应为 1 到 %(max)s 天。", max=MAX_TOKEN_DAYS))
    errors.raise_if_any()
    plain = "mm_" + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
    token = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=_hash_token(plain), prefix=plain[:8],
                     scope=scope, expires_at=expires_at)
    db.session.add(token)
    audit.record(user, "create_token", token)
    db.session.commit()
    return token, plain


def revoke_api_token(token_id: int, actor: User | None) -> None:
    user = require_user(actor)
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(_l("找不到该令牌。"))
    token.revoked = True
    audit.record(user, "revoke_token", token)
    db.session.commit()


def token_for(plain: str) -> ApiToken | None:
    """The live token (not revoked, not expired, its user active) behind a bearer string, or None."""
    if not plain or len(plain) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(plain),
                                                     ApiToken.revoked.is_(False)))
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and as_utc(token.expires_at) <= utcnow():
        return None
    return token


def user_for_token(plain: str) -> User | None:
    """The active user behind a live bearer token, or None."""
    token = token_for(plain)
    return token.user if token else None



def tokens_of(actor: User | None) -> list[ApiToken]:
    user = require_user(actor)
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
                                   .order_by(ApiToken.created_at.desc())))


def list_users(actor: User | None) -> list[User]:
    """Every account, for administrators."""
    require_admin(actor)
    return list(db.session.scalars(select(User).order_by(User.role, User.username)))
