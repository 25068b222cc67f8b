"""/api/v1/goals/{year} (staff only): the five 三十三百 figures with progress and the records behind them."""
from __future__ import annotations

from typing import Any

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint
from matchmaker.api.schemas import goals as goals_schema
from matchmaker.models.goal import GOAL_METRICS
from matchmaker.services import fields
from matchmaker.services.goals import figures as goals
from matchmaker.services.goals import progress as goals_progress
from matchmaker.services.permissions import require_staff

blp = api_blueprint("api_goals", __name__, "/goals", "三十三百 (yearly goals, staff only)")


@blp.route(f"/<int(min={goals.MIN_YEAR},max={goals.MAX_YEAR}):year>")
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, goals_schema.GoalsOut)
def year_goals(year: int) -> dict[str, Any]:
    """Each figure's target, actual, pace, forecast and status, with the ids of the records counted."""
    require_staff(actor())
    today = fields.today()
    figures = goals.count_all(year, today)
    targets = goals.targets_for(year)
    return {"year": year, "today": today,
            "items": [goals_schema.goal(goals_progress.progress_of(figures[m], targets[m], today), figures[m])
                      for m in GOAL_METRICS]}
