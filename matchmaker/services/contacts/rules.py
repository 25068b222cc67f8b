"""What a new 我要对接 request must satisfy, and the working-day clock its deadlines run on."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, Need, Result, User
from matchmaker.models.contact import OPEN_STATUSES
from matchmaker.models.posting import MODES
from matchmaker.services import fields
from matchmaker.services.errors import FieldErrors

MODELS: dict[str, Any] = {"result": Result, "need": Need}
OTHER = {"result": "need", "need": "result"}
# Companies ask researchers about results; researchers offer results to companies' needs.
ROLE_TARGET = {"company": "result", "researcher": "need"}


def _days(key: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(str(d)) for d in current_app.config[key] or ())


def is_working_day(day: date) -> bool:
    """Monday to Friday, except the bureau's PUBLIC_HOLIDAYS, plus the weekend days of MAKEUP_WORKDAYS (调休)."""
    if day in _days("MAKEUP_WORKDAYS"):
        return True
    return day.weekday() < 5 and day not in _days("PUBLIC_HOLIDAYS")


def add_working_days(start: date, days: int) -> date:
    """`days` working days after `start` (see is_working_day)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def due_from(today: date) -> date:
    return add_working_days(today, int(current_app.config["CONTACT_EXPIRY_WORKING_DAYS"]))


def clean_request(data: dict[str, Any], user: User, now: datetime) -> dict[str, Any]:
    """Validated fields of a new request from `user`, or ValidationFailed with every problem at once."""
    errors = FieldErrors()
    kind = fields.choice(errors, data, "target_kind", ("result", "need"))
    target = _target(errors, data, kind, user) if kind in MODELS else None
    message = fields.text(errors, data, "message", required=True, min_len=10,
                          max_len=int(current_app.config["CONTACT_MESSAGE_MAX"]))
    mode = fields.choice(errors, data, "mode", MODES)
    if not data.get("accept_terms"):
        errors.add("accept_terms", _l("请阅读并同意平台对接规则。"))
    own = _own_posting(errors, data, kind, user, required=kind == "need")
    if target is not None:
        _check_pair(errors, user, kind, target)
    _check_cap(errors, user, now)
    errors.raise_if_any()
    return {"target_kind": kind, "target": target, "message": message, "mode": mode, "own": own}


def _target(errors: FieldErrors, data: dict[str, Any], kind: str, user: User) -> Any:
    raw = str(data.get("target_id") or "").strip()
    target = db.session.get(MODELS[kind], int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if target is None:
        errors.add("target_id", _l("找不到该记录。"))
        return None
    if target.status != "published":
        errors.add("target_id", _l("只能对已公开发布的内容申请对接（该内容未发布、已撤回或已转化）。"))
        return None
    if ROLE_TARGET.get(user.role) != kind:
        errors.add("target_id", _l("企业可对科技成果申请对接，科研人员可对技术需求申请对接。"))
        return None
    if target.org_id == user.org_id:
        errors.add("target_id", _l("不能对本单位发布的内容申请对接。"))
        return None
    return target


def _own_posting(errors: FieldErrors, data: dict[str, Any], kind: str, user: User, *, required: bool) -> Any:
    """The requester's own posting of the other kind; a researcher answering a need must name the result."""
    if kind not in OTHER:
        return None
    raw = str(data.get("own_posting_id") or "").strip()
    if not raw:
        if required:
            errors.add("own_posting_id", _l("请选择本单位用于对接的科技成果。"))
        return None
    own = db.session.get(MODELS[OTHER[kind]], int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if own is None or own.org_id != user.org_id or own.status != "published":
        errors.add("own_posting_id", _l("请选择本单位已发布的一项内容。"))
        return None
    return own


def _check_pair(errors: FieldErrors, user: User, kind: str, target: Any) -> None:
    column = ContactRequest.result_id if kind == "result" else ContactRequest.need_id
    existing = db.session.scalar(select(ContactRequest.status).where(
        ContactRequest.requester_org_id == user.org_id, ContactRequest.target_kind == kind, column == target.id,
        ContactRequest.status.in_((*OPEN_STATUSES, "revealed"))).limit(1))
    if existing == "revealed":
        errors.add("target_id", _l("贵单位已与对方就该内容建立对接，可在“我的对接”中查看联系方式。"))
    elif existing is not None:
        errors.add("target_id", _l("贵单位已有一项针对该内容、尚在处理中的对接申请，请勿重复提交。"))


def _check_cap(errors: FieldErrors, user: User, now: datetime) -> None:
    cap = int(current_app.config["CONTACT_DAILY_CAP"])
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    sent = db.session.scalar(select(func.count(ContactRequest.id)).where(
        ContactRequest.requester_id == user.id, ContactRequest.created_at >= start)) or 0
    if sent >= cap:
        errors.add("message", _l("每个账号每天最多提交 %(n)d 项对接申请，请明天再试。", n=cap))
