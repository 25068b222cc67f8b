"""Exact agenda by integer programming (HiGHS through scipy), used when the instance is small enough.

Variables are x[p, s] = 1 when candidate p meets in slot s; tables are interchangeable within a
slot, so they are assigned afterwards.  Only a proven optimum is returned, never a partial one.
"""

from __future__ import annotations

import numpy as np

from ._board import Board

# Above this many (pair, slot) variables HiGHS may need seconds; the heuristic is enough there.
MAX_VARIABLES = 20_000


def solve_exact(board: Board, time_limit: float) -> list[tuple[int, int]] | None:
    """Optimal (pair index, slot) placements for the unpinned candidates, or None if not proven in time."""
    # Imported here because scipy is slow to import and only this path needs it; scipy has no stubs.
    from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
    from scipy.sparse import coo_matrix  # type: ignore[import-untyped]

    variables = _variables(board)
    if not variables or len(variables) > MAX_VARIABLES:
        return None
    n_orgs, slots = len(board.count), board.n_slots
    # Row blocks: org x slot (one meeting at a time), slot (tables), org (cap), org pair (once),
    # required pair (exactly once, at any slot).
    org_slot, slot_row, org_row = 0, n_orgs * slots, n_orgs * slots + slots
    group_row = org_row + n_orgs
    required_row = group_row + len(board.group_used)
    must = [p for p, wanted in enumerate(board.required) if wanted and not board.pinned[p]]
    must_row = {p: required_row + i for i, p in enumerate(must)}
    n_rows = required_row + len(must)
    rows: list[int] = []
    cols: list[int] = []
    for col, (p, s) in enumerate(variables):
        a, b = board.ends[p]
        rows += [org_slot + a * slots + s, org_slot + b * slots + s, slot_row + s]
        rows += [org_row + a, org_row + b, group_row + board.group[p]]
        cols += [col] * 6
        if p in must_row:
            rows.append(must_row[p])
            cols.append(col)
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, len(variables))).tocsr()
    upper = np.ones(n_rows)
    upper[slot_row:org_row] = board.n_tables
    upper[org_row:group_row] = board.cap
    lower = np.zeros(n_rows)
    lower[required_row:] = 1.0
    fixed = np.array([1.0 if board.pinned[p] else 0.0 for p, _ in variables])
    result = milp(
        -np.array([board.score[p] for p, _ in variables]),
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(len(variables)),
        bounds=Bounds(fixed, np.ones(len(variables))),
        options={"time_limit": time_limit, "disp": False},
    )
    if result.status != 0 or result.x is None:
        return None
    chosen = [variables[i] for i in np.flatnonzero(result.x > 0.5)]
    return [(p, s) for p, s in chosen if not board.pinned[p]]


def _variables(board: Board) -> list[tuple[int, int]]:
    """(pair, slot) combinations worth a variable: both orgs available; pinned pairs only at their slot."""
    out: list[tuple[int, int]] = []
    for p, (a, b) in enumerate(board.ends):
        if board.excluded[p]:
            continue
        if board.pinned[p]:
            out.append((p, board.slot_of[p]))
            continue
        out += [(p, s) for s in range(board.n_slots) if not (board.blocked[a][s] or board.blocked[b][s])]
    return out
