"""三十三百 dashboard for staff: progress, burn-up, chains, funnel, gaps, evidence and targets."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.models.goal import GOAL_METRICS
from matchmaker.services import fields
from matchmaker.services.goals import evidence as goals_evidence
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress as goals_progress
from matchmaker.services.goals import report as annual_report
from matchmaker.services.io import exports
from matchmaker.services.permissions import require_staff
from matchmaker.web.dashboard import charts
from matchmaker.web.dashboard.forms import TargetsForm
from matchmaker.web.helpers import actor, int_arg, page_arg, submit_form
from matchmaker.web.io.views import xlsx_response

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.get("/")
@login_required
def index() -> str:
    year = int_arg("year") or fields.today().year
    board = goals_progress.dashboard_for(year, actor())
    return render_template("dashboard/index.html", board=board, metrics=GOAL_METRICS,
                           payload=charts.chart_payload(board))


@bp.get("/gaps/<int:chain_id>")
@login_required
def gaps(chain_id: int) -> str:
    """Every gap need of one chain, a page at a time (0: needs with no chain)."""
    gap_page = goals_progress.gap_list(chain_id or None, page_arg(), actor())
    return render_template("dashboard/gaps.html", gaps=gap_page, page=gap_page.page, pages=gap_page.pages)


@bp.get("/<int:year>/<metric>")
@login_required
def evidence(year: int, metric: str) -> str:
    table = goals_evidence.evidence_table(year, metric, actor())
    return render_template("dashboard/evidence.html", table=table)


@bp.get("/<int:year>/<metric>.xlsx")
@login_required
def evidence_xlsx(year: int, metric: str) -> Response:
    return xlsx_response(exports.evidence_workbook(year, metric, actor()), f"evidence-{year}-{metric}")


@bp.get("/report/<int:year>.xlsx")
@login_required
def report(year: int) -> Response:
    return xlsx_response(annual_report.annual_report(year, actor()), f"annual-report-{year}")


@bp.route("/<int:year>/targets", methods=["GET", "POST"])
@login_required
def targets(year: int) -> str | Response:
    require_staff(actor())
    goals.check_year(year)
    form = TargetsForm(data=goals.targets_for(year))
    done = submit_form(form, lambda data: goals.set_targets(year, data, actor()),
                       _("%(year)d 年目标已保存。", year=year), lambda _saved: url_for(".index", year=year))
    return done or render_template("dashboard/targets.html", form=form, year=year)
