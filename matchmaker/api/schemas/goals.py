"""三十三百 goals: output and presenter of progress and evidence."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from marshmallow import Schema, fields

from matchmaker import labels
from matchmaker.services.goals import figures as goals

if TYPE_CHECKING:
    from matchmaker.services.goals.progress import Progress


class EvidenceOut(Schema):
    kind = fields.String(required=True, metadata={"description": "event, transfer, result, organization, intent"})
    id = fields.Integer(required=True)
    on = fields.Date(required=True, metadata={"description": "The day it counts from."})
    merged = fields.List(fields.Integer(), required=True,
                         metadata={"description": "Near-duplicate results counted as this one."})


class GoalOut(Schema):
    metric = fields.String(required=True, metadata={"description": "events, transfers, results, firms, intents"})
    label = fields.String(required=True)
    target = fields.Integer(required=True)
    actual = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    pace = fields.Integer(required=True, metadata={"description": "Where a steady pace would stand today."})
    forecast = fields.Integer(required=True, metadata={"description": "Year-end value at the current rate."})
    status = fields.String(required=True, metadata={"description": "done, on_track, behind"})
    status_label = fields.String(required=True)
    behind_by = fields.Integer(required=True)
    evidence = fields.List(fields.Nested(EvidenceOut), required=True)


class GoalsOut(Schema):
    year = fields.Integer(required=True)
    today = fields.Date(required=True)
    items = fields.List(fields.Nested(GoalOut), required=True)


EVIDENCE_KIND = {"events": "event", "transfers": "transfer", "results": "result", "firms": "organization",
                 "intents": "intent"}


def status_label(progress: Progress) -> str:
    """The dashboard's badge text."""
    if progress.status == "done":
        return _("已完成")
    if progress.status == "on_track":
        return _("进度正常")
    return _("落后 %(n)d", n=progress.behind_by)


def goal(progress: Progress, figure: goals.Figure) -> dict[str, Any]:
    kind = EVIDENCE_KIND[figure.metric]
    return {"metric": progress.metric, "label": labels.label("goal_metric", progress.metric),
            "target": progress.target, "actual": progress.actual, "percent": progress.percent,
            "pace": progress.pace, "forecast": progress.forecast, "status": progress.status,
            "status_label": status_label(progress), "behind_by": progress.behind_by,
            "evidence": [{"kind": kind, "id": e.id, "on": e.on, "merged": list(e.merged)} for e in figure.evidence]}
