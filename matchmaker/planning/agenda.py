"""Build a 1:1 meeting agenda for a matchmaking event, and edit it safely by hand.

The builder places candidates greedily by score, then improves the greedy agenda with
deterministic local moves (relocating blockers, ejecting cheaper meetings, refilling), and
returns whichever of the two scores higher, so it is never worse than ``greedy_schedule``.
When the instance is small enough it also asks HiGHS for a proven optimum within a time limit
and uses it if it is strictly better.

Determinism: the heuristic counts work steps instead of reading a clock.  The exact step only
contributes a *proven* optimum, which is the same on every machine; the one exception is a
machine so slow that HiGHS proves optimality on one host and times out on another.  Pass
``exact_time_limit=None`` for a result that depends on the input alone.
"""

from __future__ import annotations

from ._board import FREE, Board
from ._exact import solve_exact
from ._required import place_required
from ._search import greedy_fill, improve
from .spec import AgendaError, AgendaProblem, Meeting, Pair, Schedule

# Work budget in feasibility checks: about 1 s of CPython for 300 pairs, 12 slots and 10 tables.
# A count rather than a clock keeps the result identical on fast and slow machines.
DEFAULT_STEP_BUDGET = 600_000
# Leaves room under the 2 s target for the heuristic that runs first.
DEFAULT_EXACT_TIME_LIMIT = 1.0


def greedy_schedule(problem: AgendaProblem) -> Schedule:
    """Baseline agenda: pinned meetings, required pairs, then candidates best-first in their earliest free slot."""
    board = _new_board(problem, step_budget=0)
    greedy_fill(board)
    return _to_schedule(board)


def build_agenda(
    problem: AgendaProblem,
    *,
    max_rounds: int = 20,
    step_budget: int = DEFAULT_STEP_BUDGET,
    exact_time_limit: float | None = DEFAULT_EXACT_TIME_LIMIT,
) -> Schedule:
    """Best agenda of greedy, greedy plus local improvement, and (small instances) the exact optimum."""
    board = _new_board(problem, step_budget=step_budget)
    greedy_fill(board)
    greedy = _to_schedule(board)
    improve(board, max_rounds)
    improved = _to_schedule(board)
    # Moves are only kept on a strict gain; comparing exact sums guards against float drift.
    best = improved if improved.total_score >= greedy.total_score else greedy
    if exact_time_limit is not None and exact_time_limit > 0:
        exact = _exact_schedule(problem, exact_time_limit)
        if exact is not None and exact.total_score > best.total_score:
            best = exact
    return best


def move_meeting(schedule: Schedule, meeting: Meeting, new_slot: int, new_table: int) -> Schedule:
    """The same agenda with ``meeting`` at a new slot and table, or ``AgendaError`` if that double-books."""
    current = _find(schedule, meeting)
    others = [m for m in schedule.meetings if m is not current]
    _place_checked(schedule.problem, others, current.pair, new_slot, new_table)
    moved = Meeting(current.pair, new_slot, new_table, current.pinned)
    return _rebuild(schedule, [*others, moved], schedule.unscheduled)


def remove_meeting(schedule: Schedule, meeting: Meeting) -> Schedule:
    """The same agenda without ``meeting``; its pair goes back to the unscheduled list."""
    current = _find(schedule, meeting)
    others = [m for m in schedule.meetings if m is not current]
    return _rebuild(schedule, others, (*schedule.unscheduled, current.pair))


def add_meeting(schedule: Schedule, pair: Pair, slot: int, table: int) -> Schedule:
    """The same agenda plus an unscheduled candidate at ``slot``/``table``, or ``AgendaError``."""
    if pair not in schedule.unscheduled:
        raise AgendaError("not_unscheduled", f"pair {pair.pair_id!r} is not waiting to be scheduled")
    _place_checked(schedule.problem, list(schedule.meetings), pair, slot, table)
    waiting = tuple(p for p in schedule.unscheduled if p != pair)
    return _rebuild(schedule, [*schedule.meetings, Meeting(pair, slot, table)], waiting)


def _new_board(problem: AgendaProblem, step_budget: int, *, with_required: bool = True) -> Board:
    board = Board(problem, step_budget)
    index = {pair.pair_id: i for i, pair in enumerate(problem.pairs)}
    seen_tables: set[tuple[int, int]] = set()
    for m in problem.pinned:
        problem.pair_by_id(m.pair.pair_id)
        _check_range(problem, m.slot, m.table)
        if (m.slot, m.table) in seen_tables:
            raise AgendaError("table_busy", f"two pinned meetings at slot {m.slot}, table {m.table}")
        seen_tables.add((m.slot, m.table))
        board.pin(index[m.pair.pair_id], m.slot)
    if with_required:
        place_required(board)
    return board


def _exact_schedule(problem: AgendaProblem, time_limit: float) -> Schedule | None:
    # Required pairs are constraints of the program (somewhere, once), not fixed where the search put them.
    board = _new_board(problem, step_budget=0, with_required=False)
    placements = solve_exact(board, time_limit)
    if placements is None:
        return None
    for p, s in placements:
        # Re-check every placement: a solver tolerance must never leak a double booking out.
        if not board.fits(p, s):
            return None
        board.place(p, s)
    return _to_schedule(board)


def _to_schedule(board: Board) -> Schedule:
    """Freeze the board, giving pinned meetings their tables and the rest the lowest free ones."""
    problem = board.problem
    pinned_at = {m.pair.pair_id: m.table for m in problem.pinned}
    meetings: list[Meeting] = []
    for s in range(board.n_slots):
        members = sorted(board.members[s])
        fixed = [p for p in members if problem.pairs[p].pair_id in pinned_at]
        taken = {pinned_at[problem.pairs[p].pair_id] for p in fixed}
        free = (t for t in range(board.n_tables) if t not in taken)
        for p in fixed:
            meetings.append(Meeting(problem.pairs[p], s, pinned_at[problem.pairs[p].pair_id], True))
        for p in members:
            if problem.pairs[p].pair_id not in pinned_at:
                meetings.append(Meeting(problem.pairs[p], s, next(free)))
    waiting = tuple(pair for p, pair in enumerate(problem.pairs) if board.slot_of[p] == FREE)
    return _rebuild(Schedule(problem, (), ()), meetings, waiting)


def _rebuild(schedule: Schedule, meetings: list[Meeting], unscheduled: tuple[Pair, ...]) -> Schedule:
    ordered = tuple(sorted(meetings, key=lambda m: (m.slot, m.table)))
    position = {pair.pair_id: i for i, pair in enumerate(schedule.problem.pairs)}
    waiting = tuple(sorted(unscheduled, key=lambda pair: position[pair.pair_id]))
    return Schedule(schedule.problem, ordered, waiting)


def _find(schedule: Schedule, meeting: Meeting) -> Meeting:
    for m in schedule.meetings:
        if m.pair.pair_id == meeting.pair.pair_id:
            return m
    raise AgendaError("not_scheduled", f"pair {meeting.pair.pair_id!r} is not in the agenda")


def _check_range(problem: AgendaProblem, slot: int, table: int) -> None:
    if not 0 <= slot < problem.slots:
        raise AgendaError("slot_out_of_range", f"slot {slot} is outside 0..{problem.slots - 1}")
    if not 0 <= table < problem.tables:
        raise AgendaError("table_out_of_range", f"table {table} is outside 0..{problem.tables - 1}")


def _place_checked(problem: AgendaProblem, others: list[Meeting], pair: Pair, slot: int, table: int) -> None:
    """Raise ``AgendaError`` unless ``pair`` can sit at slot/table beside ``others``."""
    _check_range(problem, slot, table)
    if any(m.slot == slot and m.table == table for m in others):
        raise AgendaError("table_busy", f"table {table} is already used in slot {slot}")
    board = Board(problem, step_budget=0)
    index = {p.pair_id: i for i, p in enumerate(problem.pairs)}
    for m in others:
        board.place(index[m.pair.pair_id], m.slot)
    reason = board.why_not(index[problem.pair_by_id(pair.pair_id).pair_id], slot)
    if reason is not None:
        raise AgendaError(reason, f"pair {pair.pair_id!r} cannot meet in slot {slot}: {reason}")
