"""Excel exports of every list, the dashboard evidence and the import templates (Chinese headers).

Results, needs and organizations are exported with exactly their import columns, so an export is also a filled-in
import template (round trip); results and needs exports hold the public ones (published or transferred).
Formula-injection escaping is done by matchmaker.excel.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matchmaker import labels
from matchmaker.excel import Column, SheetSpec, TemplateColumn, TemplateSpec, build_template, write_workbook
from matchmaker.extensions import db
from matchmaker.models import (
    Chain,
    ContactRequest,
    Event,
    EventResult,
    Intent,
    Invitation,
    Meeting,
    Need,
    Organization,
    Result,
    Transfer,
    User,
)
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.errors import NotFound
from matchmaker.services.goals import evidence as goals_evidence
from matchmaker.services.io import rows as import_rows
from matchmaker.services.permissions import require_staff

EXPORT_KINDS = ("results", "needs", "organizations", "events", "meetings", "intents", "transfers",
                "contact_requests")
IMPORT_KIND = {"results": "result", "needs": "need", "organizations": "organization"}
SHEET_TITLES = {"results": "科技成果", "needs": "技术需求", "organizations": "单位", "events": "对接活动",
                "meetings": "一对一洽谈", "intents": "合作意向", "transfers": "成果转化",
                "contact_requests": "对接申请"}
BATCH = 1000


def _names() -> dict[str, dict[Any, str]]:
    names: dict[str, dict[Any, str]] = {group: import_rows.zh_labels(group)
                                        for group in ("stage", "ip_type", "mode", "need_type", "org_kind")}
    names["chain"] = {c.id: c.name for c in db.session.scalars(select(Chain))}
    names["org"] = {k: v for k, v in db.session.execute(select(Organization.id, Organization.name))}
    return names


def _stream(stmt: Any) -> Iterator[Any]:
    """Rows in id batches, so a 10,000-row export does not hold every object at once."""
    last = 0
    model = stmt.column_descriptions[0]["entity"]
    while True:
        batch = list(db.session.scalars(stmt.where(model.id > last).order_by(model.id).limit(BATCH)))
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def _import_kind_sheet(kind: str) -> SheetSpec:
    ikind = IMPORT_KIND[kind]
    model: Any = {"result": Result, "need": Need, "organization": Organization}[ikind]
    stmt = select(model)
    if ikind != "organization":
        stmt = stmt.where(model.status.in_(PUBLIC_STATUSES))
    names = _names()
    columns = [Column(c.header, c.header, 40 if c.key in ("summary", "problem", "title") else None)
               for c in import_rows.COLUMNS[ikind]]
    return SheetSpec(SHEET_TITLES[kind], columns, (import_rows.export_row(ikind, o, names) for o in _stream(stmt)))


def _count_by(column: Any) -> dict[int, int]:
    return {k: v for k, v in db.session.execute(select(column, func.count()).group_by(column))}


def _events_sheet() -> SheetSpec:
    chains = {c.id: c.name for c in db.session.scalars(select(Chain))}
    invited, presented, meetings = _count_by(Invitation.event_id), _count_by(EventResult.event_id), \
        _count_by(Meeting.event_id)
    attended = {k: v for k, v in db.session.execute(select(Invitation.event_id, func.count()).where(
        Invitation.status == "attended").group_by(Invitation.event_id))}
    cols = [Column("编号", "id", 8), Column("活动名称", "name", 40), Column("类型", "type"),
            Column("时间", "at", 18, "yyyy-mm-dd hh:mm"), Column("地点", "venue", 24), Column("产业链", "chains", 24),
            Column("状态", "status"), Column("邀请单位数", "invited"), Column("签到单位数", "attended"),
            Column("展示成果数", "presented"), Column("一对一洽谈数", "meetings")]
    rows = ({"id": e.id, "name": e.name, "type": labels.label("event_type", e.type), "at": e.starts_at,
             "venue": e.venue, "chains": "、".join(chains.get(c, "") for c in e.chain_ids or []),
             "status": labels.label("event_status", e.status), "invited": invited.get(e.id, 0),
             "attended": attended.get(e.id, 0), "presented": presented.get(e.id, 0), "meetings": meetings.get(e.id, 0)}
            for e in _stream(select(Event)))
    return SheetSpec(SHEET_TITLES["events"], cols, rows)


def _meetings_sheet() -> SheetSpec:
    cols = [Column("编号", "id", 8), Column("对接活动", "event", 30), Column("时段", "slot"), Column("桌号", "table"),
            Column("科技成果", "result", 40), Column("企业", "company", 30), Column("技术需求", "need", 30),
            Column("匹配度", "score", 10, "0.00"), Column("洽谈结果", "outcome")]
    stmt = select(Meeting).options(selectinload(Meeting.event), selectinload(Meeting.result),
                                   selectinload(Meeting.company), selectinload(Meeting.need))
    rows = ({"id": m.id, "event": m.event.name, "slot": m.slot, "table": m.table_no, "result": m.result.title,
             "company": m.company.name, "need": m.need.title if m.need else "", "score": m.score,
             "outcome": labels.label("meeting_outcome", m.outcome)} for m in _stream(stmt))
    return SheetSpec(SHEET_TITLES["meetings"], cols, rows)


def _intents_sheet() -> SheetSpec:
    cols = [Column("编号", "id", 8), Column("科技成果", "result", 40), Column("企业", "company", 30),
            Column("技术需求", "need", 30), Column("对接活动", "event", 24), Column("登记日期", "on", 12, "yyyy-mm-dd"),
            Column("合作方式", "mode"), Column("预估金额（万元）", "amount", 14, "0.00"), Column("状态", "status"),
            Column("最近跟进日期", "last", 14, "yyyy-mm-dd")]
    stmt = select(Intent).options(selectinload(Intent.result), selectinload(Intent.company),
                                  selectinload(Intent.need), selectinload(Intent.event))
    rows = ({"id": i.id, "result": i.result.title, "company": i.company.name, "need": i.need.title if i.need else "",
             "event": i.event.name if i.event else "", "on": i.logged_on, "mode": labels.label("mode", i.mode),
             "amount": i.amount_wan, "status": labels.label("intent_status", i.status), "last": i.last_activity_on}
            for i in _stream(stmt))
    return SheetSpec(SHEET_TITLES["intents"], cols, rows)


def _transfers_sheet() -> SheetSpec:
    from flask import current_app

    prefix = current_app.config["LOCAL_REGION_PREFIX"]
    cols = [Column("编号", "id", 8), Column("合同编号", "contract", 18), Column("科技成果", "result", 40),
            Column("买方单位", "buyer", 30), Column("买方统一社会信用代码", "code", 22), Column("合同类型", "type"),
            Column("合同金额（万元）", "amount", 14, "0.00"), Column("签订日期", "on", 12, "yyyy-mm-dd"),
            Column("本地转化", "local", 10)]
    stmt = select(Transfer).options(selectinload(Transfer.result), selectinload(Transfer.buyer))
    rows = ({"id": t.id, "contract": t.contract_number, "result": t.result.title, "buyer": t.buyer.name,
             "code": t.buyer.credit_code, "type": labels.label("contract_type", t.contract_type),
             "amount": t.amount_wan, "on": t.signed_on, "local": "是" if t.is_local(prefix) else "否"}
            for t in _stream(stmt))
    return SheetSpec(SHEET_TITLES["transfers"], cols, rows)


def _contact_requests_sheet() -> SheetSpec:
    """我要对接 requests without contact details (the export is a work list, not a way around consent)."""
    cols = [Column("编号", "id", 8), Column("对接对象类型", "kind"), Column("对接对象", "target", 40),
            Column("申请单位", "requester", 30), Column("发布单位", "owner", 30), Column("拟合作方式", "mode"),
            Column("状态", "status"), Column("提交时间", "at", 18, "yyyy-mm-dd hh:mm"),
            Column("处理期限", "due", 12, "yyyy-mm-dd"), Column("合作意向编号", "intent", 10)]
    stmt = select(ContactRequest).options(selectinload(ContactRequest.result), selectinload(ContactRequest.need),
                                          selectinload(ContactRequest.requester_org),
                                          selectinload(ContactRequest.owner_org))
    rows = ({"id": r.id, "kind": "科技成果" if r.target_kind == "result" else "技术需求", "target": r.target.title,
             "requester": r.requester_org.name, "owner": r.owner_org.name, "mode": labels.label("mode", r.mode),
             "status": labels.label("contact_status", r.status), "at": r.created_at.replace(tzinfo=None),
             "due": r.due_on, "intent": r.intent.id if r.intent else None} for r in _stream(stmt))
    return SheetSpec(SHEET_TITLES["contact_requests"], cols, rows)


def build_export(kind: str) -> bytes:
    """The .xlsx of one list (no permission check: the CLI and export_list call it)."""
    if kind not in EXPORT_KINDS:
        raise NotFound(_l("不支持导出该类数据。"))
    if kind in IMPORT_KIND:
        return write_workbook([_import_kind_sheet(kind)])
    builder = {"events": _events_sheet, "meetings": _meetings_sheet, "intents": _intents_sheet,
               "transfers": _transfers_sheet, "contact_requests": _contact_requests_sheet}[kind]
    return write_workbook([builder()])


def export_list(kind: str, actor: User | None) -> bytes:
    """Staff download one list as Excel."""
    require_staff(actor)
    return build_export(kind)


def build_template_for(kind: str) -> bytes:
    """The import template of results, needs or organizations: headers, drop-downs, instructions."""
    if kind not in import_rows.KINDS:
        raise NotFound(_l("不支持导入该类数据。"))
    chains = tuple(c.name for c in db.session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)))
    columns = []
    for col in import_rows.COLUMNS[kind]:
        choices = chains if col.kind == "chain" else tuple(import_rows.zh_labels(col.group).values()) \
            if col.group else ()
        columns.append(TemplateColumn(col.header, col.help, col.required, choices, col.kind == "multi",
                                      (1, 9) if col.kind == "int" else None))
    return build_template(TemplateSpec(columns, title=SHEET_TITLES[{v: k for k, v in IMPORT_KIND.items()}[kind]],
                                       instructions=("每行一条记录；所属单位须已在平台登记（可先导入单位）。",
                                                     "导入前会先显示检查结果，确认后才写入。")))


def template_for(kind: str, actor: User | None) -> bytes:
    require_staff(actor)
    return build_template_for(kind)


def evidence_workbook(year: int, metric: str, actor: User | None) -> bytes:
    """The records behind one dashboard figure."""
    table = goals_evidence.evidence_table(year, metric, actor)
    return write_workbook([SheetSpec(table.title, table.columns, table.rows)])
