"""Every API error is JSON `{"code", "message", "errors"}` with a stable code; pages keep their HTML errors."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from matchmaker.services.errors import DomainError, ValidationFailed

HTTP_CODES: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("请求无效。")),
    401: ("authentication_failed", _l("访问令牌无效或已失效。")),
    403: ("forbidden", _l("没有权限执行此操作。")),
    404: ("not_found", _l("找不到该资源。")),
    405: ("method_not_allowed", _l("不支持该请求方式。")),
    409: ("conflict", _l("与当前状态冲突。")),
    413: ("payload_too_large", _l("请求体太大。")),
    415: ("unsupported_media_type", _l("请求体应为 JSON（Content-Type: application/json）。")),
    422: ("validation_failed", _l("提交的数据有误。")),
    429: ("too_many_requests", _l("请求过于频繁，请稍后再试。")),
    503: ("service_unavailable", _l("服务暂时不可用，请稍后再试。")),
}
SERVER_ERROR = ("server_error", _l("服务器内部错误，请稍后再试。"))

# marshmallow / webargs speak English; the API speaks like the pages.
MESSAGES: dict[str, Any] = {
    "Missing data for required field.": _l("此项为必填项。"),
    "Field may not be null.": _l("此项不能为空。"),
    "Unknown field.": _l("未知字段。"),
    "Invalid input type.": _l("请求体应为 JSON 对象。"),
    "Invalid JSON body.": _l("请求体不是有效的 JSON。"),
    "Not a valid integer.": _l("请输入整数。"),
    "Not a valid number.": _l("请输入数字。"),
    "Number too large.": _l("数值太大。"),
    "Special numeric values (nan or infinity) are not permitted.": _l("请输入有效的数字。"),
    "Not a valid string.": _l("请输入文本。"),
    "Not a valid list.": _l("应为列表。"),
    "Not a valid boolean.": _l("应为 true 或 false。"),
    "Not a valid date.": _l("日期格式应为 YYYY-MM-DD。"),
    "Not a valid mapping type.": _l("应为 JSON 对象。"),
    "Contains characters that cannot be stored.": _l("包含无法保存的字符。"),
}
PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
     lambda m: _("应在 %(low)s 到 %(high)s 之间。", low=m[1], high=m[2])),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), lambda m: _("不能小于 %(low)s。", low=m[1])),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), lambda m: _("不能大于 %(high)s。", high=m[1])),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), lambda m: _("不能超过 %(n)s 个字。", n=m[1])),
    (re.compile(r"^Must be one of: .*\.$", re.S), lambda m: _("不是有效的选项。")),
]


def localize(message: Any) -> str:
    """A marshmallow message in the request's language (service messages are already translated)."""
    text = str(message)
    if text in MESSAGES:
        return str(MESSAGES[text])
    for pattern, render in PATTERNS:
        if match := pattern.match(text):
            return render(match)
    return text


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"keywords": {"0": ["..."]}} -> {"keywords.0": ["..."]}: one level, field -> messages."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            for field, texts in flatten(value, f"{prefix}.{key}" if prefix else str(key)).items():
                out.setdefault(field, []).extend(texts)
    elif isinstance(messages, list | tuple) and all(isinstance(m, dict) for m in messages) and messages:
        for item in messages:
            for field, texts in flatten(item, prefix).items():
                out.setdefault(field, []).extend(texts)
    elif isinstance(messages, list | tuple):
        out[prefix or "_request"] = [localize(m) for m in messages]
    else:
        out[prefix or "_request"] = [localize(messages)]
    return out


def error_response(status: int, code: str, message: Any, errors: dict[str, list[str]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"code": code, "message": str(message), "errors": errors or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="matchmaker"'
    response.headers.update(headers or {})
    return response


def domain_error(exc: DomainError) -> Response:
    """Service rules broken: their own status and code; 'please sign in' is a 401 here, not a redirect."""
    status = 401 if exc.code == "login_required" else exc.status
    if isinstance(exc, ValidationFailed):
        errors = {field: [str(m) for m in messages] for field, messages in exc.errors.items()}
    else:
        errors = {exc.field: [str(exc.message)]} if exc.field else {}
    return error_response(status, exc.code, exc.message, errors)


def http_error(exc: HTTPException) -> Response:
    """Werkzeug and flask-smorest errors (unknown route, 405, bad JSON, 422 from schemas) in the same shape."""
    status = exc.code or 500
    code, message = HTTP_CODES.get(status, SERVER_ERROR if status >= 500 else ("error", exc.name))
    data = getattr(exc, "data", None) or {}
    errors = flatten(data.get("errors") or data.get("messages") or {})
    if "json" in errors and status == 400:
        message = errors["json"][0]
    elif status == 422 and errors:
        message = next(iter(errors.values()))[0]
    elif status == 503 and exc.description:
        message = exc.description
    headers = {k: v for k, v in exc.get_headers() if k == "Allow"}
    return error_response(status, code, message, _drop_locations(errors), headers)


def _drop_locations(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """webargs nests errors under the location ("json.title"); clients want the field name."""
    out: dict[str, list[str]] = {}
    for field, messages in errors.items():
        location, dot, name = field.partition(".")
        key = name if dot and location in ("json", "query", "path", "headers") else field
        out.setdefault(key, []).extend(messages)
    return out


def for_api_paths(page_handler: Callable[[HTTPException], Any] | None) -> Callable[[HTTPException], Any]:
    """An app-wide HTTP error handler: JSON under /api/ (unknown routes, 405), the pages' handler elsewhere."""
    def handle(exc: HTTPException) -> Any:
        if request.path.startswith("/api/") or page_handler is None:
            return http_error(exc)
        return page_handler(exc)
    return handle
