"""Sign-in sessions, CSRF and response headers."""
from __future__ import annotations

from flask import Flask, Response
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import csrf, db, limiter, login_manager
from matchmaker.models import User

# Everything is served from this origin: vendored assets, no CDN, no inline script.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    """Flask-Login, CSRF protection, rate limits and security headers."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_security_headers)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """`<id>.<auth_epoch>` (User.get_id); a session from before the last password change or reset is refused."""
    user_id, _dot, epoch = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() and len(user_id) < 10 else None
    if user is None or not user.is_active or (epoch or "0") != str(user.auth_epoch or 0):
        return None
    return user


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
