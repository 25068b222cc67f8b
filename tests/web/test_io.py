"""Import/export pages: template download, upload → preview → confirm, refusals, staff only."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Organization
from matchmaker.services.io import rows as import_rows
from tests.conftest import login
from tests.excel.helpers import workbook_bytes


def _upload(client: Any, kind: str, data: bytes) -> Any:
    return client.post("/io/import", data={"kind": kind, "file": (io.BytesIO(data), "x.xlsx")},
                       content_type="multipart/form-data")


def _orgs() -> int:
    return db.session.scalar(select(func.count()).select_from(Organization)) or 0


def test_upload_preview_confirm(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("staff"))
    assert client.get("/io/").status_code == 200
    template = client.get("/io/template/organization.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
    headers = import_rows.headers("organization")
    good = dict.fromkeys(headers, None) | {"单位名称": "淄博测试科技有限公司", "单位类型": "企业",
                                           "统一社会信用代码": "914403001922038216", "联系电话": "13812345678"}
    bad = dict(good, 单位名称="另一家公司", 统一社会信用代码="914403001922038217")
    before = _orgs()
    answer = _upload(client, "organization", workbook_bytes(headers, list(good.values()), list(bad.values())))
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    checked = client.get(answer.headers["Location"])  # the check job ran (inline in tests): on to the preview
    assert checked.status_code == 302
    token_url = checked.headers["Location"]
    preview = client.get(token_url)
    html = preview.get_data(as_text=True)
    assert "统一社会信用代码校验位不正确" in html and "<td>3</td>" in html
    assert _orgs() == before
    done = client.post(token_url + "/confirm", data={"skip_duplicates": "y"})
    assert done.status_code == 302 and "/jobs/" in done.headers["Location"] and _orgs() == before + 1
    finished = client.get(done.headers["Location"], follow_redirects=True)
    assert "已导入 1 条记录" in finished.get_data(as_text=True)
    again = client.get(token_url)
    assert again.status_code == 302  # the preview is gone once confirmed


def test_bad_file_is_refused_on_the_page(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("staff"))
    before = _orgs()
    answer = _upload(client, "organization", b"not a spreadsheet")
    assert answer.status_code == 400
    assert "无法读取该文件" in answer.get_data(as_text=True) and _orgs() == before


def test_exports_download(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("staff"))
    for kind in ("results", "needs", "organizations", "events", "meetings", "intents", "transfers"):
        answer = client.get(f"/io/export/{kind}.xlsx")
        assert answer.status_code == 200 and answer.data[:2] == b"PK", kind


def test_signed_out_goes_to_sign_in(client: Any) -> None:
    assert "/auth/login" in client.get("/io/").headers["Location"]


def test_io_is_for_staff(client: Any, make_user: Callable[..., Any]) -> None:
    login(client, make_user("company"))
    assert client.get("/io/").status_code == 403
    assert client.get("/io/export/results.xlsx").status_code == 403
    assert _upload(client, "organization", b"x").status_code == 403
