"""Excel import: preview before writing, the forms' rules per row, duplicates, hostile files, round trips."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import current_app
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Need, Organization, Result
from matchmaker.services.errors import NotFound, PermissionDenied
from matchmaker.services.io import exports, imports
from matchmaker.services.io import rows as import_rows
from matchmaker.services.matching import change_log
from tests.excel.helpers import rezip, workbook_bytes

RESULT_FIELDS = ("title", "chain_id", "org_id", "keywords", "summary", "innovations", "indicators", "trl", "stage",
                 "ip_type", "patent_numbers", "modes", "price_wan", "expires_on", "contact_name", "contact_phone",
                 "contact_email")
NEED_FIELDS = ("title", "chain_id", "org_id", "keywords", "problem", "targets", "need_type", "budget_wan",
               "deadline", "trl_min", "modes", "contact_name", "contact_phone", "contact_email")
ORG_FIELDS = ("name", "kind", "credit_code", "region_code", "district", "address", "contact_name", "contact_phone",
              "contact_email", "description")


def _snapshot(model: Any, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    rows = db.session.scalars(select(model)).all()
    return sorted(tuple(str(getattr(r, n)) for n in names) for r in rows)


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _forget(model: Any) -> None:
    db.session.execute(delete(model))
    change_log.posting_changed(None)
    db.session.commit()


def _sheet(kind: str, *rows: dict[str, object]) -> bytes:
    headers = import_rows.headers(kind)
    return workbook_bytes(headers, *([row.get(h) for h in headers] for row in rows))


def _result_row(org: Organization, chain: Any, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "成果名称": "高效光伏组件封装胶膜", "所属产业链": chain.name, "所属单位": org.name, "关键词": "光伏、胶膜",
        "成果简介": "一种耐紫外老化的光伏组件封装胶膜，透光率高，适合双玻组件量产使用。", "技术成熟度（TRL）": 7,
        "成熟阶段": "中试阶段", "知识产权类型": "发明专利", "合作方式": "转让、许可", "转让价格（万元）": 120,
        "联系人": "张老师", "联系电话": "13812345678", "电子邮箱": "zhang@example.edu.cn"}
    row.update(over)
    return row


@pytest.fixture
def staff(make_user: Callable[..., Any]) -> Any:
    return make_user("staff")


def test_round_trip_results(staff: Any, make_posting: Callable[..., Any], make_org: Callable[..., Any]) -> None:
    make_posting("result", title="耐高温氟橡胶密封材料", keywords=["氟橡胶"], price_wan="")
    make_posting("result", title="锂电池正极材料回收工艺", keywords=["回收", "正极"], modes=["equity"], trl=4,
                 stage="small_trial", summary="从退役动力电池中回收镍钴锰并再生正极材料的湿法冶金工艺，回收率高。",
                 contact_email="", innovations="", expires_on="2031-01-31")
    before = _snapshot(Result, RESULT_FIELDS)
    data = exports.export_list("results", staff)
    _forget(Result)
    preview = imports.preview_import("result", "results.xlsx", data, staff)
    assert not preview.problem_rows and not preview.duplicate_rows
    assert _count(Result) == 0  # preview writes nothing
    report = imports.confirm_import(preview.token, staff)
    assert report.created == 2
    assert _snapshot(Result, RESULT_FIELDS) == before
    assert {r.status for r in db.session.scalars(select(Result))} == {"published"}
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "import")) == 2


def test_the_confirmation_reuses_the_previews_checks(staff: Any, make_posting: Callable[..., Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking thousands of rows against the database is the slow part: it is done once, for the preview."""
    make_posting("result", title="耐高温氟橡胶密封材料", keywords=["氟橡胶"], price_wan="")
    data = exports.export_list("results", staff)
    _forget(Result)
    checked: list[int] = []
    original = imports.check_rows

    def counted(kind: str, rows: Any, *args: Any) -> Any:
        checked.append(len(rows))
        return original(kind, rows, *args)

    monkeypatch.setattr(imports, "check_rows", counted)
    preview = imports.preview_import("result", "results.xlsx", data, staff)
    assert imports.confirm_import(preview.token, staff).created == 1
    assert checked == [1]


def test_round_trip_needs(staff: Any, make_posting: Callable[..., Any]) -> None:
    make_posting("need")
    make_posting("need", title="污水处理膜组件国产替代",
                 problem="现用进口超滤膜组件价格高，希望找到性能相当的国产膜材料和组件。",
                 budget_wan="", need_type="acquire", trl_min="")
    before = _snapshot(Need, NEED_FIELDS)
    data = exports.export_list("needs", staff)
    _forget(Need)
    preview = imports.preview_import("need", "needs.xlsx", data, staff)
    assert not preview.problem_rows
    imports.confirm_import(preview.token, staff)
    assert _snapshot(Need, NEED_FIELDS) == before


def test_round_trip_organizations(staff: Any, make_org: Callable[..., Any]) -> None:
    make_org(kind="university", name="山东理工大学", district="张店区", contact_phone="05332781234")
    make_org(kind="company", name="淄博某新材料有限公司", region="110101", description="=cmd|' /C calc'!A0")
    data = exports.export_list("organizations", staff)
    theirs = [o.id for o in db.session.scalars(select(Organization)) if o.name != staff.org.name]
    before = [s for s in _snapshot(Organization, ORG_FIELDS) if s[0] != staff.org.name]
    db.session.execute(delete(Organization).where(Organization.id.in_(theirs)))
    db.session.commit()
    preview = imports.preview_import("organization", "orgs.xlsx", data, staff)
    assert [r.number for r in preview.problem_rows] == [2]  # the staff member's own organization exists already
    imports.confirm_import(preview.token, staff)
    assert [s for s in _snapshot(Organization, ORG_FIELDS) if s[0] != staff.org.name] == before


def test_preview_reports_row_column_problems(staff: Any, default_chains: list[Any], make_org: Callable[..., Any]
                                             ) -> None:
    uni = make_org(kind="university")
    chain = default_chains[0]
    data = _sheet("result", _result_row(uni, chain),
                  _result_row(uni, chain, 成果名称="另一个好成果，但简介太短", 成果简介="太短",
                              **{"技术成熟度（TRL）": 12}),
                  _result_row(uni, chain, 成果名称="第三个成果名称", 所属产业链="不存在的链", 所属单位="没有这个单位",
                              合作方式="转让、白送",
                              成果简介="一种耐紫外老化的新型涂层材料，适用于户外设施的长期防护。"))
    preview = imports.preview_import("result", "x.xlsx", data, staff)
    problems = {(r.number, col) for r in preview.problem_rows for col, _m in r.problems}
    assert problems == {(3, "成果简介"), (3, "技术成熟度（TRL）"), (4, "所属产业链"), (4, "所属单位"), (4, "合作方式")}
    assert [r.number for r in preview.valid] == [2]
    assert _count(Result) == 0
    report = imports.confirm_import(preview.token, staff)
    assert (report.created, report.skipped) == (1, 2)


def test_within_file_and_published_duplicates(staff: Any, default_chains: list[Any], make_org: Callable[..., Any],
                                              make_posting: Callable[..., Any]) -> None:
    uni = make_org(kind="university")
    published = make_posting("result")
    chain = default_chains[0]
    copy = _result_row(uni, chain, 成果名称=published.title, 成果简介=published.summary, 关键词="氟橡胶、密封件",
                       创新点=published.innovations, 技术指标=published.indicators)
    data = _sheet("result", _result_row(uni, chain), _result_row(uni, chain), copy)
    preview = imports.preview_import("result", "x.xlsx", data, staff)
    flagged = {r.number: r for r in preview.duplicate_rows}
    assert set(flagged) == {3, 4}
    assert flagged[3].duplicate_row == 2 and flagged[4].duplicate_of[0] == published.id  # type: ignore[index]
    assert imports.confirm_import(preview.token, staff).created == 1
    assert _count(Result) == 2


def test_keeping_duplicates_links_them(staff: Any, default_chains: list[Any], make_org: Callable[..., Any]) -> None:
    uni = make_org(kind="university")
    data = _sheet("result", _result_row(uni, default_chains[0]), _result_row(uni, default_chains[0]))
    preview = imports.preview_import("result", "x.xlsx", data, staff)
    report = imports.confirm_import(preview.token, staff, skip_duplicates=False)
    first, second = (db.session.get(Result, i) for i in report.ids)
    assert second.duplicate_of_id == first.id  # type: ignore[union-attr]


def _zip_bomb() -> bytes:
    return rezip(workbook_bytes(["成果名称"]), {"xl/bomb.xml": b"0" * (60 << 20)})


def _not_a_workbook_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    return buffer.getvalue()


BAD_FILES: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "not_xlsx": lambda: b"name,title\n1,2\n",
    "zip_not_workbook": _not_a_workbook_zip,
    "wrong_headers": lambda: workbook_bytes(["名称", "简介"], ["a", "b"]),
    "header_only": lambda: workbook_bytes(import_rows.headers("result")),
    "junk_10mb": lambda: b"PK\x03\x04" + b"\x00" * (10 << 20),
    "zip_bomb": _zip_bomb,
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_and_write_nothing(staff: Any, default_chains: list[Any], case: str) -> None:
    audits = _count(AuditEntry)
    with pytest.raises(imports.ImportRefused) as info:
        imports.preview_import("result", f"{case}.xlsx", BAD_FILES[case](), staff)
    assert str(info.value.message)
    assert _count(Result) == 0 and _count(AuditEntry) == audits
    folder = Path(current_app.instance_path) / "imports"
    assert not folder.exists() or not list(folder.glob("*.json"))


def test_wrong_headers_say_which(staff: Any) -> None:
    with pytest.raises(imports.ImportRefused) as info:
        imports.preview_import("result", "x.xlsx", workbook_bytes(["名称", "简介"], ["a", "b"]), staff)
    assert any("成果名称" in d for d in info.value.details)


def test_formula_rows_are_problems_not_imports(staff: Any, default_chains: list[Any], make_org: Callable[..., Any]
                                               ) -> None:
    uni = make_org(kind="university")
    wb = Workbook()
    headers = import_rows.headers("result")
    wb.active.append(headers)
    row = _result_row(uni, default_chains[0], **{"转让价格（万元）": "=1+1"})
    wb.active.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = imports.preview_import("result", "f.xlsx", buffer.getvalue(), staff)
    assert [(r.number, r.problems[0][0]) for r in preview.problem_rows] == [(2, "转让价格（万元）")]
    assert imports.confirm_import(preview.token, staff).created == 0
    assert _count(Result) == 0


def test_preview_is_the_uploaders_and_expires(staff: Any, make_user: Callable[..., Any], default_chains: list[Any],
                                              make_org: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    data = _sheet("result", _result_row(make_org(kind="university"), default_chains[0]))
    preview = imports.preview_import("result", "x.xlsx", data, staff)
    with pytest.raises(NotFound):
        imports.confirm_import(preview.token, make_user("staff"))
    with pytest.raises(NotFound):
        imports.load_preview("../../etc/passwd", staff)
    monkeypatch.setattr(imports, "IMPORT_TTL", -1)
    with pytest.raises(NotFound):
        imports.confirm_import(preview.token, staff)
    assert _count(Result) == 0


def test_only_staff_import(make_user: Callable[..., Any]) -> None:
    with pytest.raises(PermissionDenied):
        imports.preview_import("result", "x.xlsx", b"", make_user("researcher"))


def test_template_has_headers_and_dropdowns(staff: Any, default_chains: list[Any]) -> None:
    wb = load_workbook(io.BytesIO(exports.template_for("result", staff)))
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == import_rows.headers("result")
    assert len(sheet.data_validations.dataValidation) >= 5


def test_cli_import_dry_run_then_real(app: Any, runner: Any, staff: Any, default_chains: list[Any],
                                      make_org: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(_sheet("result", _result_row(make_org(kind="university"), default_chains[0])))
    out = runner.invoke(args=["import", "result", str(path), "--user", staff.username, "--dry-run"])
    assert out.exit_code == 0, out.output
    assert "dry run" in out.output and _count(Result) == 0
    out = runner.invoke(args=["import", "result", str(path), "--user", staff.username])
    assert out.exit_code == 0, out.output
    assert _count(Result) == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"junk")
    out = runner.invoke(args=["import", "result", str(bad), "--user", staff.username])
    assert out.exit_code != 0 and _count(Result) == 1
