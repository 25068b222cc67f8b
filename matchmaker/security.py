"""Sign-in sessions, CSRF and response headers."""
from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from matchmaker.extensions import csrf, limiter, login_manager
from matchmaker.models import User
from matchmaker.services.signin import sessions

SESSION_ID_KEY = "sid"

# Everything is served from this origin: vendored assets, no CDN, no inline script.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    """Flask-Login, CSRF protection and security headers."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_security_headers)


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
