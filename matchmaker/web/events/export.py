"""The agenda as an Excel workbook (another rendering of events.agenda, like the print template)."""
from __future__ import annotations

from flask_babel import gettext as _

from matchmaker import labels
from matchmaker.excel import Column, SheetSpec, write_workbook
from matchmaker.models import Meeting
from matchmaker.services.events.events import AgendaGrid


def _row(grid: AgendaGrid, m: Meeting) -> dict[str, object]:
    return {"time": grid.times[m.slot].strftime("%H:%M"), "table": m.table_no, "result": m.result.title,
            "owner": m.result.org.name, "company": m.company.name, "need": m.need.title if m.need else "",
            "score": round(m.score, 3), "outcome": labels.label("meeting_outcome", m.outcome)}


def agenda_workbook(grid: AgendaGrid) -> bytes:
    """Sheet 1: every meeting by time and table; sheet 2: each organization's own schedule."""
    columns = [Column(_("时间"), "time", 8), Column(_("桌号"), "table", 6), Column(_("科技成果"), "result", 36),
               Column(_("成果单位"), "owner", 24), Column(_("企业"), "company", 24), Column(_("技术需求"), "need", 30),
               Column(_("匹配度"), "score", 8, "0.000"), Column(_("洽谈结果"), "outcome", 10)]
    by_org = [{"org": org.name, "kind": labels.label("org_kind", org.kind), **_row(grid, m),
               "other": m.company.name if org.id == m.result.org_id else m.result.org.name}
              for org, meetings in grid.by_org for m in sorted(meetings, key=lambda x: x.slot)]
    org_columns = [Column(_("单位"), "org", 24), Column(_("单位类型"), "kind", 10), Column(_("时间"), "time", 8),
                   Column(_("桌号"), "table", 6), Column(_("洽谈对象"), "other", 24),
                   Column(_("科技成果"), "result", 36), Column(_("技术需求"), "need", 30)]
    meetings = sorted(grid.cells.values(), key=lambda m: (m.slot, m.table_no))
    return write_workbook([SheetSpec(_("日程总表"), columns, [_row(grid, m) for m in meetings]),
                           SheetSpec(_("按单位"), org_columns, by_org)])
