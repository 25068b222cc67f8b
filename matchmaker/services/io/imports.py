"""Excel import of results, needs and organizations: preview first, write only on confirmation.

The upload reads the file at once (matchmaker.excel refuses hostile files, and the page says so); checking every
row with the forms' rules and flagging near-duplicates (against published postings and within the file) is a
background job with progress. The rows as read and their checks are kept on the server in
instance/imports/<token>.json, tied to the user and expiring after IMPORT_TTL: the preview page and the
confirmation reuse those checks instead of checking 10,000 rows again, and the confirmation (another job) writes
the valid rows in one transaction. A row that became invalid in between (e.g. a credit code registered meanwhile)
fails the transaction as a whole, with a message; nothing is half-written. Nothing the browser posts besides the
token is trusted.

Imported postings are created *published*: staff import on the organizations' behalf, so the import is the
review (audit action "import"); one match-index change-log row is written in the same transaction.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from matchmaker.excel import read_rows
from matchmaker.extensions import db
from matchmaker.models import Need, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, fields
from matchmaker.services.alerts import dispatch as alerts
from matchmaker.services.errors import DomainError, NotFound
from matchmaker.services.io import rows as import_rows
from matchmaker.services.io.duplicates import flag_duplicates
from matchmaker.services.io.rows import KINDS, Lookups, RowCheck
from matchmaker.services.matching import change_log
from matchmaker.services.permissions import require_staff

IMPORT_TTL = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
Progress = Callable[[int], Any] | None
REFUSALS = {
    "empty": _l("文件是空的，或表头下面没有数据。"),
    "too_large": _l("文件太大（上限 %(mb)d MB）。"),
    "not_xlsx": _l("无法读取该文件：请上传用 Excel 保存的 .xlsx 文件。"),
    "zip_bomb": _l("文件结构异常（解压后过大或条目过多），已拒绝。"),
    "bad_headers": _l("表头与模板不一致，请下载最新模板填写。"),
    "too_many_rows": _l("行数太多，请拆分成多个文件导入。"),
}


class ImportRefused(DomainError):
    """The whole file was refused; `details` lists the header problems, if any."""

    status = 400
    code = "import_refused"

    def __init__(self, message: Any, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


@dataclass
class Preview:
    token: str
    kind: str
    filename: str
    rows: list[RowCheck]

    @property
    def valid(self) -> list[RowCheck]:
        return [r for r in self.rows if r.clean is not None]

    @property
    def problem_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.problems]

    @property
    def duplicate_rows(self) -> list[RowCheck]:
        return [r for r in self.rows if r.duplicates and r.clean is not None]


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return import_rows.cell_text(value)


def read_upload(kind: str, data: bytes) -> list[dict[str, Any]]:
    """The file's rows as JSON-safe dicts ({number, values} or {number, problem}); refused files raise."""
    if kind not in KINDS:
        raise NotFound(_l("不支持导入该类数据。"))
    limit = current_app.config["IMPORT_MAX_BYTES"]
    found = read_rows(data, import_rows.headers(kind), max_bytes=limit)
    if found.fatal:
        code = next(p.code for p in found.problems if p.code in REFUSALS)
        details = [str(_l("第 %(row)s 行“%(col)s”：%(what)s", row=p.row, col=p.column or "",
                              what=_header_problem(p.message)))
                   for p in found.problems if p.code == "bad_headers"]
        message = str(REFUSALS[code]) % {"mb": limit // (1 << 20)} if code == "too_large" else REFUSALS[code]
        raise ImportRefused(message, details[:20])
    rows: list[dict[str, Any]] = [{"number": r.number, "values": {k: _plain(v) for k, v in r.values.items()}}
                                  for r in found.rows]
    rows += [{"number": p.row, "formula": p.column} for p in found.problems if p.code == "formula"]
    return sorted(rows, key=lambda r: r["number"])


def _header_problem(message: str) -> str:
    return str({"unexpected column": _l("模板中没有这一列"), "missing column": _l("缺少这一列"),
                "column appears twice": _l("这一列出现了两次")}.get(message, message))


def check_rows(kind: str, rows: list[dict[str, Any]], progress: Progress = None) -> list[RowCheck]:
    """Every row checked by the forms' rules, within-file repeats and near-duplicates flagged."""
    lookups, today = Lookups.load(), fields.today()
    checks: list[RowCheck] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows, start=1):
        checks.append(_check_one(kind, row, lookups, today, seen))
        if progress and i % 200 == 0:
            progress(200)
    if progress:
        progress(len(rows) % 200)
    if kind != "organization":
        flag_duplicates(kind, checks)
    return checks


def _check_one(kind: str, row: dict[str, Any], lookups: Lookups, today: date,
               seen: dict[tuple[str, str], int]) -> RowCheck:
    number = int(row["number"])
    if "formula" in row:
        message = str(_l("不导入公式，请直接填写数值。"))
        return RowCheck(number, "", None, problems=[(str(row["formula"] or ""), message)])
    data, read_problems = import_rows.to_data(kind, row["values"], lookups)
    clean, errors = import_rows.check_row(kind, data, today)
    errors.update({k: [m] for k, m in read_problems.items()})
    label = str(clean.get("title") or clean.get("name") or "")
    if kind == "organization":
        for key in ("name", "credit_code"):
            first = seen.setdefault((key, str(clean[key]).lower()), number)
            if clean[key] and first != number:
                errors.setdefault(key, []).append(str(_l("与第 %(n)d 行重复。", n=first)))
    problems = [(import_rows.header_of(kind, key), m) for key, ms in errors.items() for m in ms]
    return RowCheck(number, label, None if problems else clean, data.get("org_id"), problems)


def store(user: User, kind: str, filename: str, rows: list[dict[str, Any]],
          checks: list[RowCheck] | None = None) -> str:
    """Keep the rows as read (and their checks, once made) on the server; the token is all the browser gets."""
    _sweep()
    token = secrets.token_urlsafe(24)
    payload = {"user_id": user.id, "kind": kind, "filename": filename[:200], "created": time.time(), "rows": rows}
    save_checks(token, payload, checks)
    return token


def save_checks(token: str, payload: dict[str, Any], checks: list[RowCheck] | None) -> None:
    if checks is not None:
        payload = {**payload, "checks": [_encode_check(c) for c in checks]}
    (_folder() / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def _encode(value: Any) -> Any:
    """JSON for a checked value: dates and decimals tagged so they come back as they were."""
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$date" in value:
        return date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$decimal" in value:
        return Decimal(value["$decimal"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _encode_check(check: RowCheck) -> dict[str, Any]:
    return {"number": check.number, "label": check.label, "org_id": check.org_id,
            "clean": None if check.clean is None else {k: _encode(v) for k, v in check.clean.items()},
            "problems": [[str(c), str(m)] for c, m in check.problems], "duplicates": [str(d) for d in check.duplicates],
            "duplicate_of": list(check.duplicate_of) if check.duplicate_of else None,
            "duplicate_row": check.duplicate_row}


def _decode_check(data: dict[str, Any]) -> RowCheck:
    clean = None if data["clean"] is None else {k: _decode(v) for k, v in data["clean"].items()}
    dup = data.get("duplicate_of")
    return RowCheck(data["number"], data["label"], clean, data.get("org_id"),
                    [(c, m) for c, m in data.get("problems", [])], list(data.get("duplicates", [])),
                    (int(dup[0]), float(dup[1])) if dup else None, data.get("duplicate_row"))


def _sweep() -> None:
    for path in _folder().glob("*.json"):
        if time.time() - path.stat().st_mtime > IMPORT_TTL:
            path.unlink(missing_ok=True)


def load_stored(token: str, user: User) -> dict[str, Any]:
    path = _folder() / f"{token}.json" if TOKEN.match(token or "") else None
    if path is None or not path.exists():
        raise NotFound(_l("导入预览不存在或已过期，请重新上传文件。"), code="import_expired")
    payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if payload.get("user_id") != user.id or time.time() - float(payload["created"]) > IMPORT_TTL:
        raise NotFound(_l("导入预览不存在或已过期，请重新上传文件。"), code="import_expired")
    return payload


def preview_import(kind: str, filename: str, data: bytes, actor: User | None, progress: Progress = None,
                   *, keep: bool = True) -> Preview:
    """Read and check an upload; nothing is written to the database."""
    user = require_staff(actor)
    rows = read_upload(kind, data)
    checks = check_rows(kind, rows, progress)
    token = store(user, kind, filename, rows, checks) if keep else ""  # the confirmation reuses the checks
    return Preview(token, kind, filename, checks)


def load_preview(token: str, actor: User | None) -> Preview:
    """A stored upload with the checks its check job made (checked now only if it has none yet)."""
    user = require_staff(actor)
    payload = load_stored(token, user)
    if "checks" in payload:
        checks = [_decode_check(c) for c in payload["checks"]]
    else:
        checks = check_rows(payload["kind"], payload["rows"])
    return Preview(token, payload["kind"], payload["filename"], checks)


def discard_import(token: str, actor: User | None) -> None:
    user = require_staff(actor)
    load_stored(token, user)
    (_folder() / f"{token}.json").unlink(missing_ok=True)


@dataclass(frozen=True)
class ImportReport:
    created: int
    skipped: int
    ids: list[int]


def confirm_import(token: str, actor: User | None, *, skip_duplicates: bool = True,
                   progress: Progress = None, preview: Preview | None = None) -> ImportReport:
    """Write the stored upload's valid rows in one transaction; invalid rows (and, if asked, flagged ones) skipped."""
    preview = preview or load_preview(token, actor)
    report = write_rows(preview, actor, skip_duplicates=skip_duplicates, progress=progress)
    (_folder() / f"{token}.json").unlink(missing_ok=True)
    return report


MODELS: dict[str, type[Result] | type[Need] | type[Organization]] = {
    "result": Result, "need": Need, "organization": Organization}


def write_rows(preview: Preview, actor: User | None, *, skip_duplicates: bool = True,
               progress: Progress = None) -> ImportReport:
    """Insert the preview's valid rows, audit each, log one index change; one commit."""
    user = require_staff(actor)
    rows = [r for r in preview.valid if not (skip_duplicates and r.duplicates)]
    now, model = utcnow(), MODELS[preview.kind]
    objects: list[Any] = []
    for row in rows:
        assert row.clean is not None
        extra: dict[str, Any] = {}
        if preview.kind != "organization":
            extra = {"owner_id": user.id, "org_id": row.org_id, "status": "published", "published_at": now,
                     "submitted_at": now}
            if row.duplicate_of is not None:
                extra["duplicate_of_id"], extra["duplicate_score"] = row.duplicate_of
        objects.append(model(**row.clean, **extra))
    db.session.add_all(objects)
    db.session.flush()
    by_row = {r.number: o for r, o in zip(rows, objects, strict=True)}
    for i, (row, obj) in enumerate(zip(rows, objects, strict=True), start=1):
        if row.duplicate_row in by_row:
            obj.duplicate_of_id = by_row[row.duplicate_row].id
        audit.record(user, "import", obj, {k: {"after": audit._plain(v)} for k, v in row.clean.items()},
                     note=f"{preview.filename} #{row.number}")
        if progress and i % 500 == 0:
            progress(500)
    if progress:
        progress(len(rows) % 500)
    if objects and preview.kind != "organization":
        change_log.posting_changed(None)
        for obj in objects:
            alerts.posting_published(obj)  # imported postings are public at once: they alert like a publication
    db.session.commit()
    return ImportReport(len(objects), len(preview.rows) - len(objects), [o.id for o in objects])
