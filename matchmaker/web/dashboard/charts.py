"""The dashboard's chart payload: plain data for static/dashboard.js (ECharts), shaped from the service's Dashboard."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from matchmaker import labels
from matchmaker.models.goal import GOAL_METRICS
from matchmaker.services.goals import funnel as goals_funnel
from matchmaker.services.goals.progress import Dashboard


def chart_payload(board: Dashboard) -> dict[str, Any]:
    """Plain data for dashboard.js (ECharts): burn-up per goal, per-chain breakdown and the funnel."""
    chain_ids = [c for c in board.chain_names if any(board.by_chain[m][c] for m in GOAL_METRICS)]
    return {
        "months": [format_date(date(board.year, m, 1), "MMM") for m in range(1, 13)],
        "series": {"actual": str(_l("实际累计")), "pace": str(_l("进度线")), "forecast": str(_l("年末预测"))},
        "funnel_label": str(_l("{b}：{c}")),
        "goals": {m: {"name": labels.label("goal_metric", m), "target": p.target, "actual": list(p.cumulative),
                      "title": str(_l("%(name)s（目标 %(n)d）", name=labels.label("goal_metric", m), n=p.target)),
                      "pace": list(p.pace_line), "forecast": list(p.forecast_line)}
                  for m, p in board.progress.items()},
        "chains": {"names": [board.chain_names[c] for c in chain_ids],
                   "series": {labels.label("goal_metric", m): [board.by_chain[m][c] for c in chain_ids]
                              for m in GOAL_METRICS}},
        "funnel": {"stages": [str(s) for s in goals_funnel.stage_labels()], "total": list(board.funnel.total.values)},
    }
