"""Following a background job: a progress page that refreshes itself, then moves on to what the job made."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.models import Job
from matchmaker.services.jobs import queue as jobs
from matchmaker.web.helpers import actor

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _after_import_check(result: dict[str, Any]) -> str:
    return url_for("io.preview", token=result["token"])


def _after_import_write(result: dict[str, Any]) -> str:
    flash(_("已导入 %(n)d 条记录，跳过 %(m)d 行。", n=result["created"], m=result["skipped"]), "success")
    return url_for("io.index")


def _to_dashboard(_result: dict[str, Any]) -> str:
    return url_for("dashboard.index")


# Where each kind of finished job leads (and where its failure page links back to), and what its page calls it.
NEXT: dict[str, Callable[[dict[str, Any]], str]] = {
    "import_check": _after_import_check, "import_write": _after_import_write, "match_stats": _to_dashboard}
BACK = {"match_stats": ("dashboard.index", lambda: _("返回统计看板"))}
TITLES = {"import_check": lambda: _("正在检查导入文件"), "import_write": lambda: _("正在写入导入数据"),
          "match_stats": lambda: _("正在更新匹配数据")}


def _state(job: Job) -> str:
    return "failed" if jobs.is_stalled(job) else job.status


@bp.get("/<job_id>")
@login_required
def status(job_id: str) -> Response | str:
    job = jobs.job_for(job_id, actor())
    state = _state(job)
    if state == "done":
        return redirect(NEXT[job.kind](job.result or {}))
    percent = int(100 * job.done / job.total) if job.total else 0
    back, back_label = BACK.get(job.kind, ("io.index", lambda: _("返回导入导出")))
    return render_template("jobs/status.html", job=job, state=state, percent=percent, back=url_for(back),
                           back_label=back_label(),
                           title=TITLES.get(job.kind, lambda: _("后台任务"))(),
                           error=job.error or (_("任务已中断，请重新提交。") if state == "failed" else ""),
                           details=(job.result or {}).get("details", []))


@bp.get("/<job_id>.json")
@login_required
def status_json(job_id: str) -> Response:
    job = jobs.job_for(job_id, actor())
    return jsonify({"status": _state(job), "done": job.done, "total": job.total})
