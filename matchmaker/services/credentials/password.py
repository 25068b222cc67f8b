"""Password hashing and the signed-in user's password change (which ends every other session)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.models import User
from matchmaker.services.errors import FieldErrors
from matchmaker.services.mail.outbox import absolute_url, queue_mail
from matchmaker.services.passwords import password_problem
from matchmaker.services.permissions import require_user
from matchmaker.services.signin import sessions


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt in production)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def new_password_problems(user: User, data: dict[str, Any], errors: FieldErrors) -> str:
    """The new password from `new_password` / `confirm`, with its policy problems added to `errors`."""
    password = str(data.get("new_password") or "")
    why = password_problem(password, user.username, min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                           corpus_dir=current_app.config["CORPUS_DIR"])
    if why:
        errors.add("new_password", why)
    elif password != str(data.get("confirm") or ""):
        errors.add("confirm", _l("两次输入的密码不一致。"))
    return password


def set_new_password(user: User, password: str) -> None:
    """Store the new hash (every reset link made before stops working) and lift a lockout."""
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def change_password(actor: User | None, data: dict[str, Any], *, keep_session: str | None) -> User:
    """The signed-in user sets a new password, giving the current one; every session but `keep_session` ends."""
    user = require_user(actor)
    errors = FieldErrors()
    if not check_password_hash(user.password_hash, str(data.get("current_password") or "")):
        errors.add("current_password", _l("当前密码不正确。"))
    password = new_password_problems(user, data, errors)
    errors.raise_if_any()
    set_new_password(user, password)
    queue_mail(user, "password_changed", {"link": absolute_url("account.forgot")})
    sessions.end_all(user, keep=keep_session, reason="password_change")  # audits and commits it all at once
    return user
