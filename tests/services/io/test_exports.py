"""Excel exports: every list opens with Chinese headers; the annual report; formulas are escaped."""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import Event, Intent, Invitation, Meeting, Transfer
from matchmaker.services.errors import NotFound, PermissionDenied
from matchmaker.services.goals import report as annual_report
from matchmaker.services.io import exports


@pytest.fixture
def records(make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> dict[str, Any]:
    result = make_posting("result", title="=HYPERLINK(\"http://x\")恶意标题")
    firm = make_org(kind="company")
    make_posting("need")
    event = Event(name="新材料对接会", type="matchmaking", starts_at=datetime(2025, 4, 1, 9), status="held")
    db.session.add(event)
    db.session.flush()
    intent = Intent(result_id=result.id, company_id=firm.id, logged_on=date(2025, 4, 2), status="open",
                    last_activity_on=date(2025, 4, 2), event_id=event.id)
    db.session.add_all([Invitation(event_id=event.id, org_id=firm.id, status="attended"), intent,
                        Meeting(event_id=event.id, result_id=result.id, company_id=firm.id, slot=1, table_no=2)])
    db.session.flush()
    db.session.add(Transfer(result_id=result.id, buyer_id=firm.id, intent_id=intent.id, contract_number="HT-1",
                            contract_type="license", signed_on=date(2025, 5, 1)))
    db.session.commit()
    return {"result": result}


@pytest.mark.parametrize("kind", exports.EXPORT_KINDS)
def test_every_list_exports(records: dict[str, Any], make_user: Callable[..., Any], kind: str) -> None:
    wb = load_workbook(io.BytesIO(exports.export_list(kind, make_user("staff"))))
    sheet = wb.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(h)) for h in rows[0])
    assert len(rows) >= (1 if kind == "contact_requests" else 2)  # the fixture makes no contact request


def test_formulas_are_escaped(records: dict[str, Any], make_user: Callable[..., Any]) -> None:
    wb = load_workbook(io.BytesIO(exports.export_list("results", make_user("staff"))))
    cell = wb.worksheets[0]["A2"]
    assert cell.data_type != "f" and str(cell.value).startswith("'=")


def test_exports_are_for_staff(app: Any, make_user: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        exports.export_list("results", make_user("company"))
    with pytest.raises(NotFound):
        exports.export_list("users", make_user("staff"))


def test_annual_report(records: dict[str, Any], make_user: Callable[..., Any]) -> None:
    data = annual_report.annual_report(2025, make_user("staff"), today=date(2025, 12, 31))
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.worksheets) == 6
    summary = list(wb.worksheets[0].iter_rows(values_only=True))
    assert summary[0][:3] == ("指标", "年度目标", "已完成")
    by_metric = {row[0]: row for row in summary[1:]}
    assert by_metric["对接活动"][2] == 1 and by_metric["对接活动"][6] == "落后 9"
    assert by_metric["合作意向"][2] == 1
    events_sheet = list(wb.worksheets[1].iter_rows(values_only=True))
    assert events_sheet[1][1] == "新材料对接会"


def test_evidence_workbook(records: dict[str, Any], make_user: Callable[..., Any]) -> None:
    wb = load_workbook(io.BytesIO(exports.evidence_workbook(2025, "firms", make_user("staff"))))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "企业名称" and len(rows) == 2


def test_cli_export(records: dict[str, Any], runner: Any, tmp_path: Path) -> None:
    for kind in ("results", "annual-report"):
        path = tmp_path / f"{kind}.xlsx"
        out = runner.invoke(args=["export", kind, str(path), "--year", "2025"])
        assert out.exit_code == 0, out.output
        assert load_workbook(path).worksheets
