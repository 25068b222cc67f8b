"""Sign-in sessions, CSRF, response headers and the audit origin of each request."""
from __future__ import annotations

from flask import Flask, Response, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from matchmaker.extensions import csrf, limiter, login_manager
from matchmaker.models import User
from matchmaker.services import audit
from matchmaker.services.signin import sessions

SESSION_ID_KEY = "sid"

# Everything is served from this origin: vendored assets, no CDN, no inline script.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    """Flask-Login, CSRF protection, security headers and the audit origin."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_security_headers)
    # App-wide rather than per blueprint: pages, the API and their error handlers all write audit entries.
    app.before_request(_note_origin)
    app.teardown_request(_forget_origin)


def _note_origin() -> None:
    """Tell the audit service where this request comes from (services never read the request)."""
    g._audit_origin = audit.set_origin(request.remote_addr)


def _forget_origin(_exc: BaseException | None) -> None:
    """The origin ends with the request: a reused worker thread or a later CLI call in it starts empty."""
    token = g.pop("_audit_origin", None)
    if token is not None:
        audit.reset_origin(token)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Only a live server-side session signs anyone in (services/signin/sessions.py)."""
    return sessions.resume(user_id, session.get(SESSION_ID_KEY))


def sign_in(user: User) -> None:
    """Start a server-side session for a user who proved who they are, and remember it in the cookie."""
    session.clear()  # a fresh cookie: nothing from before sign-in carries over (session fixation)
    session[SESSION_ID_KEY] = sessions.start(user)
    login_user(user)


def sign_out() -> None:
    """End this browser's session server-side, then forget the cookie."""
    sessions.end(session.get(SESSION_ID_KEY))
    logout_user()
    session.pop(SESSION_ID_KEY, None)


def current_session_id() -> str | None:
    return session.get(SESSION_ID_KEY)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure or current_app.config["PREFERRED_URL_SCHEME"] == "https":
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains")
    return response
