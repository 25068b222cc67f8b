"""Bearer tokens are the API's only credential: no session cookie is ever consulted, hence no CSRF."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from matchmaker.models import ApiToken, User
from matchmaker.services import accounts
from matchmaker.services.errors import AuthenticationFailed, PermissionDenied

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BEARER_AUTH = "bearerAuth"
SECURITY_SCHEME = {"type": "http", "scheme": "bearer",
                   "description": "An API token from the account page: `Authorization: Bearer mm_…`."}
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{BEARER_AUTH: []}, {}]
REQUIRED_AUTH: list[dict[str, list[str]]] = [{BEARER_AUTH: []}]
CACHE_KEY = "matchmaker.api_actor"


def actor() -> User | None:
    """The active user behind the request's bearer token, or None for an anonymous request."""
    token = _token()
    return token.user if token else None


def _token() -> ApiToken | None:
    # Kept on the request, not on `g`: an app context (and its `g`) may outlive one request.
    cache = request.environ
    if CACHE_KEY not in cache:
        cache[CACHE_KEY] = _from_header(request.headers.get("Authorization", ""))
    return cache[CACHE_KEY]  # type: ignore[no-any-return]


def _from_header(header: str) -> ApiToken | None:
    """No header is anonymous; a header that is not a live bearer token is refused, never ignored."""
    if not header:
        return None
    scheme, _sep, plain = header.strip().partition(" ")
    token = accounts.token_for(plain.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise AuthenticationFailed(_l("访问令牌无效或已失效。"))
    return token


def check_request() -> None:
    """Before every API view: a bad token is a 401; writes need a token and a JSON body (when any)."""
    user = actor()
    if request.method not in WRITE_METHODS:
        return
    if user is None:
        raise AuthenticationFailed(_l("请先登录。"), code="login_required")
    token = _token()
    if token is not None and token.scope != "write":
        raise PermissionDenied(_l("该令牌为只读权限，不能修改数据。"), code="read_only_token")
    if (request.content_length or request.headers.get("Transfer-Encoding")) and not request.is_json:
        raise UnsupportedMediaType()
    if request.is_json:
        check_json_body()


def check_json_body() -> None:
    """Refuse a body too large or too deeply nested before any parser sees it (either would end in a 500)."""
    limit = current_app.config["API_MAX_JSON_BYTES"]
    if (request.content_length or 0) > limit:
        raise BadRequest(_l("请求体过大（上限 %(kb)s KB）。", kb=limit // 1024))
    body = request.get_data(cache=True)
    if len(body) > limit:
        raise BadRequest(_l("请求体过大（上限 %(kb)s KB）。", kb=limit // 1024))
    if json_depth(body) > current_app.config["API_MAX_JSON_DEPTH"]:
        raise BadRequest(_l("JSON 嵌套层级过深。"))


def json_depth(body: bytes) -> int:
    """Deepest nesting of [ and { outside strings, counted without parsing (so no recursion limit is hit)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest
