"""The annual report: one workbook, the five goals first (target, actual, forecast, status), then the evidence."""
from __future__ import annotations

from datetime import date

from matchmaker import labels
from matchmaker.excel import Column, SheetSpec, write_workbook
from matchmaker.models import User
from matchmaker.models.goal import GOAL_METRICS
from matchmaker.services import fields
from matchmaker.services.goals import evidence as goals_evidence
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress as goals_progress
from matchmaker.services.permissions import require_staff

STATUS_TEXT = {"done": "已完成", "on_track": "进度正常", "behind": "落后 {n}"}
SUMMARY_COLUMNS = [Column("指标", "metric", 18), Column("年度目标", "target", 10), Column("已完成", "actual", 10),
                   Column("完成率", "percent", 10, "0%"), Column("按时间进度应完成", "pace", 18),
                   Column("年末预测", "forecast", 10), Column("状态", "status", 12)]


def status_text(progress: goals_progress.Progress) -> str:
    return STATUS_TEXT[progress.status].format(n=progress.behind_by)


def build_annual_report(year: int, today: date | None = None) -> bytes:
    """The .xlsx of a year's report (no permission check: the CLI and annual_report call it)."""
    today = today or fields.today()
    goals.check_year(year)
    targets = goals.targets_for(year)
    figures = goals.count_all(year, today)
    summary = []
    for metric in GOAL_METRICS:
        p = goals_progress.progress_of(figures[metric], targets[metric], today)
        summary.append({"metric": labels.label("goal_metric", metric), "target": p.target, "actual": p.actual,
                        "percent": p.actual / p.target if p.target else None, "pace": p.pace,
                        "forecast": p.forecast, "status": status_text(p)})
    sheets = [SheetSpec(f"{year}年三十三百", SUMMARY_COLUMNS, summary)]
    for metric in GOAL_METRICS:
        table = goals_evidence.table_for(figures[metric])
        sheets.append(SheetSpec(labels.label("goal_metric", metric), table.columns, table.rows))
    return write_workbook(sheets)


def annual_report(year: int, actor: User | None, today: date | None = None) -> bytes:
    """Staff download the year's report."""
    require_staff(actor)
    return build_annual_report(year, today)
