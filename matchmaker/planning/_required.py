"""Placing the required pairs (meetings both sides agreed to) before the optimizer sees the board.

A small constraint search: each required pair needs a slot where neither organization is busy or
unavailable and a table is free; caps and "two organizations meet once" do not depend on the slot, so
they are checked up front.  Depth-first with the most constrained pair first, which decides the
instances an event produces (a few dozen agreed meetings) in well under the work budget.
"""

from __future__ import annotations

from ._board import FREE, Board
from .spec import AgendaError

# Search nodes before giving up; a real event needs a few hundred at most.
DEFAULT_REQUIRED_BUDGET = 50_000


def place_required(board: Board, budget: int = DEFAULT_REQUIRED_BUDGET) -> None:
    """Place every required pair that pinned meetings did not already place, then freeze them all.

    Raises ``AgendaError('required_infeasible')`` when no placement exists (or none was found in budget);
    the board is left as it was then.
    """
    todo = [p for p, wanted in enumerate(board.required) if wanted and board.slot_of[p] == FREE]
    _check_counts(board, todo)
    steps_before = board.steps
    search = _Search(board, budget)
    mark = board.mark()
    try:
        found = search.solve(todo)
    finally:
        # The optimizer's own budget must not depend on how hard this part was.
        board.steps = steps_before
    if not found:
        board.rollback(mark)
        raise AgendaError("required_infeasible", "the required pairs cannot all be placed without a conflict")
    for p, wanted in enumerate(board.required):
        if wanted:
            board.pinned[p] = True


def _check_counts(board: Board, todo: list[int]) -> None:
    groups: set[int] = set()
    load = list(board.count)
    for p in todo:
        g = board.group[p]
        if board.group_used[g] != FREE or g in groups:
            raise AgendaError("required_infeasible", f"two required or pinned meetings join the same two "
                                                     f"organizations ({board.problem.pairs[p].pair_id!r})")
        groups.add(g)
        for o in board.ends[p]:
            load[o] += 1
    over = [o for o, n in enumerate(load) if n > board.cap]
    if over:
        raise AgendaError("required_infeasible", f"{len(over)} organization(s) would exceed the cap of {board.cap}")


class _Search:
    def __init__(self, board: Board, budget: int) -> None:
        self.board = board
        self.budget = budget
        self.nodes = 0

    def options(self, p: int) -> list[int]:
        board = self.board
        fitting = [s for s in range(board.n_slots) if board.fits(p, s)]
        # Emptier slots first leave the most room for the rest of the agenda.
        return sorted(fitting, key=lambda s: (board.load[s], s))

    def solve(self, remaining: list[int]) -> bool:
        if not remaining:
            return True
        self.nodes += 1
        if self.nodes > self.budget:
            raise AgendaError("required_infeasible", f"no placement of the required pairs found in {self.budget} steps")
        best, best_options = remaining[0], self.options(remaining[0])
        for p in remaining[1:]:
            if len(best_options) <= 1:
                break
            found = self.options(p)
            if len(found) < len(best_options):
                best, best_options = p, found
        if not best_options:
            return False
        rest = [q for q in remaining if q != best]
        for s in best_options:
            mark = self.board.mark()
            self.board.place(best, s)
            if self.solve(rest):
                return True
            self.board.rollback(mark)
        return False
