"""Meeting agenda planning for matchmaking events: a pure library with no web or database imports."""

from .agenda import add_meeting, build_agenda, greedy_schedule, move_meeting, remove_meeting
from .spec import AgendaError, AgendaProblem, Meeting, OrgKey, Pair, PairId, Schedule

__all__ = [
    "AgendaError",
    "AgendaProblem",
    "Meeting",
    "OrgKey",
    "Pair",
    "PairId",
    "Schedule",
    "add_meeting",
    "build_agenda",
    "greedy_schedule",
    "move_meeting",
    "remove_meeting",
]
