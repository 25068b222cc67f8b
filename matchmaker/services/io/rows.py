"""The Excel columns of results, needs and organizations, shared by template, export and import.

Headers and drop-down values are always Chinese (whatever the page's language), so a file made by one person
imports for another. A row becomes the same data dict the forms send, and is checked by the same rules
(posting_rules.clean_posting, organizations.clean_organization).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker import labels
from matchmaker.excel import split_multi
from matchmaker.extensions import db
from matchmaker.models import Chain, Organization
from matchmaker.services import credit_code
from matchmaker.services.errors import FieldErrors
from matchmaker.services.organizations import clean_organization
from matchmaker.services.postings.rules import clean_posting

KINDS = ("result", "need", "organization")


@dataclass(frozen=True)
class ImportColumn:
    """header: Chinese column title; key: the service's data key; kind: how a cell is read."""

    header: str
    key: str
    kind: str = "text"  # text | list | multi | choice | int | amount | date | chain | org
    group: str = ""
    required: bool = False
    help: str = ""


_CONTACT = (
    ImportColumn("联系人", "contact_name"),
    ImportColumn("联系电话", "contact_phone", help="手机号或带区号的固定电话；电话与邮箱至少填一项"),
    ImportColumn("电子邮箱", "contact_email"),
)
COLUMNS: dict[str, tuple[ImportColumn, ...]] = {
    "result": (
        ImportColumn("成果名称", "title", required=True, help="4–200 字"),
        ImportColumn("所属产业链", "chain_id", "chain", required=True),
        ImportColumn("所属单位", "org_id", "org", required=True, help="单位全称或统一社会信用代码（须已在平台登记）"),
        ImportColumn("关键词", "keywords", "list", help="最多 10 个，用“、”分隔"),
        ImportColumn("成果简介", "summary", required=True, help="20–5000 字"),
        ImportColumn("创新点", "innovations"),
        ImportColumn("技术指标", "indicators"),
        ImportColumn("技术成熟度（TRL）", "trl", "int", required=True),
        ImportColumn("成熟阶段", "stage", "choice", "stage", required=True),
        ImportColumn("知识产权类型", "ip_type", "choice", "ip_type"),
        ImportColumn("专利号", "patent_numbers"),
        ImportColumn("合作方式", "modes", "multi", "mode", required=True),
        ImportColumn("转让价格（万元）", "price_wan", "amount", help="留空表示面议"),
        ImportColumn("有效期至", "expires_on", "date", help="YYYY-MM-DD"),
        *_CONTACT,
    ),
    "need": (
        ImportColumn("需求名称", "title", required=True, help="4–200 字"),
        ImportColumn("所属产业链", "chain_id", "chain", required=True),
        ImportColumn("所属单位", "org_id", "org", required=True, help="单位全称或统一社会信用代码（须已在平台登记）"),
        ImportColumn("关键词", "keywords", "list", help="最多 10 个，用“、”分隔"),
        ImportColumn("需求描述", "problem", required=True, help="20–5000 字"),
        ImportColumn("目标指标", "targets"),
        ImportColumn("需求类型", "need_type", "choice", "need_type", required=True),
        ImportColumn("预算（万元）", "budget_wan", "amount", help="留空表示面议"),
        ImportColumn("截止日期", "deadline", "date", help="YYYY-MM-DD，不早于今天"),
        ImportColumn("最低成熟度（TRL）", "trl_min", "int"),
        ImportColumn("合作方式", "modes", "multi", "mode", required=True),
        *_CONTACT,
    ),
    "organization": (
        ImportColumn("单位名称", "name", required=True),
        ImportColumn("单位类型", "kind", "choice", "org_kind", required=True),
        ImportColumn("统一社会信用代码", "credit_code", required=True, help="18 位"),
        ImportColumn("所在区县", "district"),
        ImportColumn("地址", "address"),
        *_CONTACT,
        ImportColumn("单位简介", "description"),
    ),
}


def headers(kind: str) -> list[str]:
    return [c.header for c in COLUMNS[kind]]


def zh_labels(group: str) -> dict[str, str]:
    """code -> Chinese label of a label group."""
    with force_locale("zh_Hans_CN"):
        return {str(code): str(text) for code, text in labels.ALL[group].items()}


@dataclass
class Lookups:
    """Names to ids, loaded once per file."""

    chains: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    keep: list[Chain] = field(default_factory=list)
    """Held so the session's identity map keeps the chains: the rules' per-row lookups then need no query."""

    @classmethod
    def load(cls) -> Lookups:
        out = cls()
        out.keep = list(db.session.scalars(select(Chain)))
        for chain in out.keep:
            out.chains[chain.name] = out.chains[chain.code] = chain.id
        for org_id, name, code in db.session.execute(select(Organization.id, Organization.name,
                                                             Organization.credit_code)):
            out.orgs[name] = out.orgs[code] = org_id
        for group in ("stage", "ip_type", "mode", "need_type", "org_kind"):
            out.codes[group] = {label: code for code, label in zh_labels(group).items()} | {
                code: code for code in labels.ALL[group]}
        return out


def cell_text(value: object) -> str:
    """A cell as text: whole floats lose their '.0', dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def to_data(kind: str, values: Mapping[str, object], lookups: Lookups
            ) -> tuple[dict[str, Any], dict[str, str]]:
    """The form-shaped data of one row, and problems found while reading it (by data key)."""
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for col in COLUMNS[kind]:
        raw = cell_text(values.get(col.header))
        if col.kind == "chain":
            data[col.key] = lookups.chains.get(raw, "") if raw else ""
            if raw and not data[col.key]:
                problems[col.key] = str(_l("找不到名为“%(v)s”的产业链。", v=raw))
        elif col.kind == "org":
            data[col.key] = lookups.orgs.get(raw) or lookups.orgs.get(credit_code.normalize(raw)) if raw else None
            if not data[col.key]:
                problems[col.key] = (str(_l("平台上没有登记单位“%(v)s”，请先导入或登记该单位。", v=raw)) if raw
                                     else str(_l("此项为必填项。")))
        elif col.kind == "choice":
            data[col.key] = lookups.codes[col.group].get(raw, raw)
        elif col.kind == "multi":
            data[col.key] = [lookups.codes[col.group].get(v, v) for v in split_multi(raw)]
        else:
            data[col.key] = raw
    return data, problems


def check_row(kind: str, data: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(clean values, errors by data key) by the same rules as the forms."""
    if kind == "organization":
        errors = FieldErrors()
        clean = clean_organization(data, errors)
    else:
        clean, errors = clean_posting(kind, data, today=today)
    return clean, {k: [str(m) for m in ms] for k, ms in errors.errors.items()}


def header_of(kind: str, key: str) -> str:
    return next((c.header for c in COLUMNS[kind] if c.key == key), "")


def export_row(kind: str, obj: Any, names: Mapping[str, Mapping[Any, str]]) -> dict[str, object]:
    """A record as a row of its import columns (so an export can be imported again)."""
    row: dict[str, object] = {}
    for col in COLUMNS[kind]:
        value = getattr(obj, col.key)
        if col.kind == "chain":
            value = names["chain"].get(value, "")
        elif col.kind == "org":
            value = names["org"].get(value, "")
        elif col.kind in ("choice", "multi"):
            group = names[col.group]
            value = [group.get(v, v) for v in value or []] if col.kind == "multi" else group.get(value, value)
        elif isinstance(value, Decimal):
            value = float(value)
        row[col.header] = value
    return row


@dataclass
class RowCheck:
    """One row of the file: its checked data, or its problems as (column, message)."""

    number: int
    label: str
    clean: dict[str, Any] | None
    org_id: int | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    duplicate_of: tuple[int, float] | None = None
    duplicate_row: int | None = None
