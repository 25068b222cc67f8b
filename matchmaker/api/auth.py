"""Bearer tokens are the API's only credential: no session cookie is ever consulted, hence no CSRF."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import UnsupportedMediaType

from matchmaker.models import User
from matchmaker.services import accounts
from matchmaker.services.errors import AuthenticationFailed

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BEARER_AUTH = "bearerAuth"
SECURITY_SCHEME = {"type": "http", "scheme": "bearer",
                   "description": "An API token from the account page: `Authorization: Bearer mm_…`."}
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{BEARER_AUTH: []}, {}]
REQUIRED_AUTH: list[dict[str, list[str]]] = [{BEARER_AUTH: []}]
CACHE_KEY = "matchmaker.api_actor"


def actor() -> User | None:
    """The active user behind the request's bearer token, or None for an anonymous request."""
    # Kept on the request, not on `g`: an app context (and its `g`) may outlive one request.
    cache = request.environ
    if CACHE_KEY not in cache:
        cache[CACHE_KEY] = _from_header(request.headers.get("Authorization", ""))
    return cache[CACHE_KEY]  # type: ignore[no-any-return]


def _from_header(header: str) -> User | None:
    """No header is anonymous; a header that is not a valid bearer token is refused, never ignored."""
    if not header:
        return None
    scheme, _sep, token = header.strip().partition(" ")
    user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise AuthenticationFailed(_l("访问令牌无效或已失效。"))
    return user


def check_request() -> None:
    """Before every API view: a bad token is a 401; writes need a token and a JSON body (when any)."""
    user = actor()
    if request.method not in WRITE_METHODS:
        return
    if user is None:
        raise AuthenticationFailed(_l("请先登录。"), code="login_required")
    if (request.content_length or request.headers.get("Transfer-Encoding")) and not request.is_json:
        raise UnsupportedMediaType()
