"""Excel in and out for staff: list exports, import templates, upload → preview → confirm."""
from __future__ import annotations

import contextlib
import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import fields
from matchmaker.services.errors import NotFound
from matchmaker.services.io import exports, import_jobs, imports
from matchmaker.services.permissions import require_staff
from matchmaker.web.helpers import actor, run_action
from matchmaker.web.io.forms import ConfirmImportForm, DiscardForm, UploadForm

bp = Blueprint("io", __name__, url_prefix="/io")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 500


def xlsx_response(data: bytes, name: str) -> Response:
    """An .xlsx download named `name`-YYYYMMDD.xlsx."""
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"{name}-{fields.today():%Y%m%d}.xlsx")


def _index(form: UploadForm, refusal: imports.ImportRefused | None = None, status: int = 200
           ) -> tuple[str, int]:
    return render_template("io/index.html", form=form, refusal=refusal, export_kinds=exports.EXPORT_KINDS,
                           titles=exports.SHEET_TITLES), status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    require_staff(actor())
    return _index(UploadForm())


@bp.get("/export/<name>.xlsx")
@login_required
def export(name: str) -> Response:
    data = exports.export_list(name, actor())
    return xlsx_response(data, name)


@bp.get("/template/<kind>.xlsx")
@login_required
def template(kind: str) -> Response:
    data = exports.template_for(kind, actor())
    return xlsx_response(data, f"{kind}-template")


@bp.post("/import")
@login_required
def upload() -> Response | tuple[str, int]:
    require_staff(actor())
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form)
    try:
        job = import_jobs.start_import(form.kind.data, form.file.data.filename or "", form.file.data.read(), actor())
    except imports.ImportRefused as exc:
        return _index(form, exc, 400)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/import/<token>")
@login_required
def preview(token: str) -> Response | str:
    require_staff(actor())
    found = run_action(lambda: imports.load_preview(token, actor()), category="warning", catch=(NotFound,))
    if found is None:  # expired or already used: the flash says so
        return redirect(url_for(".index"))
    return render_template("io/preview.html", preview=found, form=ConfirmImportForm(), discard=DiscardForm(),
                           limit=PREVIEW_ROWS)


@bp.post("/import/<token>/confirm")
@login_required
def confirm(token: str) -> Response:
    require_staff(actor())
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return redirect(url_for(".preview", token=token))
    job = run_action(lambda: import_jobs.start_confirm(token, actor(), skip_duplicates=form.skip_duplicates.data),
                     category="warning", catch=(NotFound,))
    if job is None:
        return redirect(url_for(".index"))
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.post("/import/<token>/discard")
@login_required
def discard(token: str) -> Response:
    require_staff(actor())
    if DiscardForm().validate_on_submit():
        with contextlib.suppress(NotFound):
            imports.discard_import(token, actor())
        flash(_("已放弃本次导入，没有写入任何数据。"), "info")
    return redirect(url_for(".index"))
