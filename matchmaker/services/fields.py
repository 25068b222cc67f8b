"""Field cleaners shared by every service: each returns the clean value or records a localized error."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from matchmaker.models._base import as_utc
from matchmaker.services.errors import FieldErrors

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
LIST_SEPARATORS = re.compile(r"[,，、;；\n\r\t]+|\s{2,}")
MAX_AMOUNT = Decimal("100000000")


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_tz() -> ZoneInfo:
    """The bureau's time zone (config TIMEZONE): the one every "today" and local day is taken in."""
    return _zone(str(current_app.config["TIMEZONE"]))


def now() -> datetime:
    """The current moment as an aware datetime in the bureau's time zone."""
    return datetime.now(UTC).astimezone(local_tz())


def today() -> date:
    """The bureau's calendar day now: the one "today" of services, web and API (never the server's UTC date)."""
    return now().date()


def local_day(moment: datetime) -> date:
    """The bureau's calendar day of a stored timestamp (naive values are UTC)."""
    return day_in(moment, str(current_app.config["TIMEZONE"]))


@lru_cache(maxsize=65536)
def day_in(moment: datetime, zone: str) -> date:
    """The calendar day of a stored timestamp in a named zone, kept: a year's figures convert thousands of the
    same timestamps on every dashboard view (call it with the zone read once for a loop of them)."""
    return as_utc(moment).astimezone(_zone(zone)).date()


def text(errors: FieldErrors, data: dict[str, Any], field: str, *, required: bool = False,
         min_len: int = 0, max_len: int = 200) -> str:
    """Trimmed text within length bounds (NUL and lone surrogates removed: no database stores them)."""
    value = printable(str(data.get(field) or "")).strip()
    if not value:
        if required:
            errors.add(field, _l("此项为必填项。"))
        return ""
    if len(value) < min_len:
        errors.add(field, _l("至少需要 %(n)d 个字。", n=min_len))
    elif len(value) > max_len:
        errors.add(field, _l("不能超过 %(n)d 个字。", n=max_len))
    return value


def choice(errors: FieldErrors, data: dict[str, Any], field: str, allowed: Iterable[str], *,
           required: bool = True, default: str = "") -> str:
    """One of the allowed codes."""
    value = str(data.get(field) or "").strip()
    if not value:
        if required:
            errors.add(field, _l("请选择一项。"))
        return default
    if value not in tuple(allowed):
        errors.add(field, _l("不是有效的选项。"))
    return value


def choices(errors: FieldErrors, data: dict[str, Any], field: str, allowed: Iterable[str], *,
            required: bool = True) -> list[str]:
    """A de-duplicated list of allowed codes (a list, or one string separated by commas)."""
    raw = data.get(field) or []
    items = split_list(raw) if isinstance(raw, str) else [str(v).strip() for v in raw]
    allowed = tuple(allowed)
    bad = [v for v in items if v not in allowed]
    if bad:
        errors.add(field, _l("不是有效的选项：%(v)s", v="、".join(bad[:3])))
    if required and not items:
        errors.add(field, _l("请至少选择一项。"))
    return list(dict.fromkeys(v for v in items if v in allowed))


def printable(value: str) -> str:
    """Drop NUL and unpaired surrogate code points, which PostgreSQL and SQLite refuse."""
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        return "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    return value


def split_list(raw: str) -> list[str]:
    """Split '氟橡胶，密封件、耐高温' into items."""
    text_ = unicodedata.normalize("NFKC", printable(raw))
    return [p.strip() for p in LIST_SEPARATORS.split(text_) if p.strip()]


KEYWORDS_MAX = 10
KEYWORD_MAX_CHARS = 30


def keywords(errors: FieldErrors, data: dict[str, Any], field: str = "keywords") -> list[str]:
    """Up to KEYWORDS_MAX keywords of at most KEYWORD_MAX_CHARS characters each."""
    raw = data.get(field) or []
    items = split_list(raw) if isinstance(raw, str) else [str(v).strip() for v in raw if str(v).strip()]
    items = list(dict.fromkeys(items))
    if len(items) > KEYWORDS_MAX:
        errors.add(field, _l("关键词最多 10 个。"))
    if any(len(k) > KEYWORD_MAX_CHARS for k in items):
        errors.add(field, _l("每个关键词不超过 30 个字。"))
    return items[:KEYWORDS_MAX]


def integer(errors: FieldErrors, data: dict[str, Any], field: str, *, low: int, high: int,
            required: bool = False) -> int | None:
    """A whole number within [low, high]."""
    raw = data.get(field)
    if raw is None or str(raw).strip() == "":
        if required:
            errors.add(field, _l("此项为必填项。"))
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        errors.add(field, _l("请输入整数。"))
        return None
    if not low <= value <= high:
        errors.add(field, _l("应在 %(low)d 到 %(high)d 之间。", low=low, high=high))
        return None
    return value


def amount(errors: FieldErrors, data: dict[str, Any], field: str) -> Decimal | None:
    """An amount in 万元 with at most two decimals; empty means 面议."""
    raw = data.get(field)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        errors.add(field, _l("请输入金额（万元），例如 50 或 12.5。"))
        return None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        errors.add(field, _l("金额应在 0 到 %(max)s 万元之间。", max=f"{MAX_AMOUNT - Decimal('0.01'):,}"))
        return None
    return value.quantize(Decimal("0.01"))


def day(errors: FieldErrors, data: dict[str, Any], field: str, *, required: bool = False,
        not_before: date | None = None, past: bool = False) -> date | None:
    """A calendar date (date object or ISO text); `past`: today at the latest (what is recorded has happened)."""
    raw = data.get(field)
    if raw is None or str(raw).strip() == "":
        if required:
            errors.add(field, _l("此项为必填项。"))
        return None
    if isinstance(raw, date):
        value = raw
    else:
        try:
            value = date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            errors.add(field, _l("日期格式应为 YYYY-MM-DD。"))
            return None
    if not_before and value < not_before:
        errors.add(field, _l("日期不能早于 %(d)s。", d=not_before.isoformat()))
    elif past and value > today():
        errors.add(field, _l("日期不能晚于今天（%(d)s）。", d=today().isoformat()))
    return value


def normalize_phone(raw: str) -> str:
    """Strip spaces, dashes and a +86/0086/86 prefix."""
    value = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", raw or ""))
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if value.startswith("86") and len(value) == 13:
        value = value[2:]
    return value


def phone(errors: FieldErrors, data: dict[str, Any], field: str) -> str:
    """A mainland mobile number (stored as its 11 digits) or a landline with area code (kept as typed, so
    0533-3581234 keeps the hyphen that separates the area code); empty allowed."""
    typed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(data.get(field) or ""))).strip()
    value = normalize_phone(typed)
    if MOBILE.match(value):
        return value
    if value and (not LANDLINE.match(value) or len(typed) > 20):
        errors.add(field, _l("请输入有效的手机号（11 位）或带区号的固定电话。"))
    return typed if value else ""


def email(errors: FieldErrors, data: dict[str, Any], field: str) -> str:
    """An e-mail address; empty allowed."""
    value = str(data.get(field) or "").strip()
    if value and (len(value) > 120 or not EMAIL.match(value)):
        errors.add(field, _l("请输入有效的电子邮箱。"))
    return value.lower()


def mask_phone(value: str) -> str:
    """138****5678: enough to recognise, not enough to call."""
    if len(value) < 7:
        return "****" if value else ""
    return value[:3] + "****" + value[-4:]


def mask_email(value: str) -> str:
    """z***@example.com."""
    if "@" not in value:
        return "****" if value else ""
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"
