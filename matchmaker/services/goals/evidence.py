"""The records behind each dashboard figure, as table rows for the evidence page and its Excel export."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker import labels
from matchmaker.excel import Column
from matchmaker.extensions import db
from matchmaker.models import Chain, Event, Intent, Organization, Result, Transfer, User
from matchmaker.services.goals import figures as goals
from matchmaker.services.permissions import require_staff


@dataclass(frozen=True)
class EvidenceTable:
    year: int
    metric: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]


def _chain_names() -> dict[int | None, str]:
    return {c.id: c.name for c in db.session.scalars(select(Chain))}


def _by_id(model: Any, ids: list[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(select(model).options(*options).where(model.id.in_(ids)))}


def _chains_text(chains: tuple[int | None, ...], names: dict[int | None, str]) -> str:
    return "、".join(names.get(c, "") for c in chains if c is not None)


def _events(figure: goals.Figure, names: dict[int | None, str]) -> tuple[list[Column], list[dict[str, Any]]]:
    events = _by_id(Event, figure.ids, selectinload(Event.invitations))
    cols = [Column("编号", "id", 8), Column("活动名称", "name", 40), Column("类型", "type"),
            Column("日期", "on", 12, "yyyy-mm-dd"), Column("地点", "venue", 24), Column("产业链", "chains", 24),
            Column("签到单位数", "attended")]
    rows = [{"id": e.id, "name": (ev := events[e.id]).name, "type": labels.label("event_type", ev.type), "on": e.on,
             "venue": ev.venue, "chains": _chains_text(e.chains, names),
             "attended": sum(1 for i in ev.invitations if i.status == "attended")} for e in figure.evidence]
    return cols, rows


def _transfers(figure: goals.Figure, names: dict[int | None, str]) -> tuple[list[Column], list[dict[str, Any]]]:
    found = _by_id(Transfer, figure.ids, selectinload(Transfer.buyer), selectinload(Transfer.result))
    cols = [Column("编号", "id", 8), Column("合同编号", "contract", 18), Column("科技成果", "result", 40),
            Column("买方单位", "buyer", 30), Column("买方统一社会信用代码", "code", 22), Column("合同类型", "type"),
            Column("合同金额（万元）", "amount", 14, "0.00"), Column("签订日期", "on", 12, "yyyy-mm-dd"),
            Column("本地认定", "local", 12)]
    rows = []
    for e in figure.evidence:
        t = found[e.id]
        rows.append({"id": t.id, "contract": t.contract_number, "result": t.result.title, "buyer": t.buyer.name,
                     "code": t.buyer.credit_code, "type": labels.label("contract_type", t.contract_type),
                     "amount": t.amount_wan, "on": t.signed_on,
                     "local": "人工认定" if t.local_override is not None or t.buyer.local_override is not None
                     else "信用代码"})
    return cols, rows


def _results(figure: goals.Figure, names: dict[int | None, str]) -> tuple[list[Column], list[dict[str, Any]]]:
    found = _by_id(Result, figure.ids, selectinload(Result.org))
    cols = [Column("编号", "id", 8), Column("成果名称", "title", 40), Column("单位", "org", 30),
            Column("产业链", "chains", 16), Column("发布日期", "on", 12, "yyyy-mm-dd"),
            Column("合并计数的近似重复成果", "merged", 24)]
    rows = [{"id": e.id, "title": found[e.id].title, "org": found[e.id].org.name,
             "chains": _chains_text(e.chains, names), "on": e.on,
             "merged": "、".join(f"#{i}" for i in e.merged)} for e in figure.evidence]
    return cols, rows


def _firms(figure: goals.Figure, names: dict[int | None, str]) -> tuple[list[Column], list[dict[str, Any]]]:
    found = _by_id(Organization, figure.ids)
    prefix = current_app.config["LOCAL_REGION_PREFIX"]
    cols = [Column("编号", "id", 8), Column("企业名称", "name", 36), Column("统一社会信用代码", "code", 22),
            Column("本地企业", "local", 10), Column("首次覆盖日期", "on", 14, "yyyy-mm-dd"),
            Column("涉及产业链", "chains", 30)]
    rows = [{"id": e.id, "name": found[e.id].name, "code": found[e.id].credit_code,
             "local": "是" if found[e.id].is_local(prefix) else "否", "on": e.on,
             "chains": _chains_text(e.chains, names)} for e in figure.evidence]
    return cols, rows


def _intents(figure: goals.Figure, names: dict[int | None, str]) -> tuple[list[Column], list[dict[str, Any]]]:
    found = _by_id(Intent, figure.ids, selectinload(Intent.result), selectinload(Intent.company),
                   selectinload(Intent.event))
    cols = [Column("编号", "id", 8), Column("科技成果", "result", 40), Column("企业", "company", 30),
            Column("对接活动", "event", 24), Column("登记日期", "on", 12, "yyyy-mm-dd"), Column("合作方式", "mode"),
            Column("预估金额（万元）", "amount", 14, "0.00"), Column("状态", "status")]
    rows = [{"id": e.id, "result": (i := found[e.id]).result.title, "company": i.company.name,
             "event": i.event.name if i.event else "", "on": e.on, "mode": labels.label("mode", i.mode),
             "amount": i.amount_wan, "status": labels.label("intent_status", i.status)} for e in figure.evidence]
    return cols, rows


BUILDERS: dict[str, Callable[[goals.Figure, dict[int | None, str]], tuple[list[Column], list[dict[str, Any]]]]] = {
    "events": _events, "transfers": _transfers, "results": _results, "firms": _firms, "intents": _intents}


def table_for(figure: goals.Figure) -> EvidenceTable:
    """The evidence rows of a counted figure (no permission check: callers check)."""
    cols, rows = BUILDERS[figure.metric](figure, _chain_names())
    title = f"{figure.year}年{labels.label('goal_metric', figure.metric)}"
    return EvidenceTable(figure.year, figure.metric, title, cols, rows)


def evidence_table(year: int, metric: str, actor: User | None) -> EvidenceTable:
    """Staff see the records behind one figure."""
    require_staff(actor)
    return table_for(goals.count(year, metric))
