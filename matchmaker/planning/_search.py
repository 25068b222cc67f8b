"""Greedy construction and local improvement on a Board; every move is deterministic."""

from __future__ import annotations

from itertools import product

from ._board import FREE, Board

# How many unscheduled neighbours we try to pull in after an ejection; more rarely pays off.
REFILL_LIMIT = 12


def greedy_fill(board: Board) -> None:
    """Place candidates best-first, each in the earliest slot where it fits."""
    for p in board.order_by_score():
        if not board.can_take(p):
            continue
        for s in range(board.n_slots):
            if board.fits(p, s):
                board.place(p, s)
                break


def improve(board: Board, max_rounds: int) -> None:
    """Repeat insertion and exchange moves until a round gains nothing or the budget runs out."""
    order = board.order_by_score()
    eps = 1e-9 * max(board.score, default=1.0)
    for _ in range(max_rounds):
        improved = False
        for p in order:
            if board.exhausted():
                return
            if board.slot_of[p] == FREE and (try_insert(board, p) or try_exchange(board, p, eps)):
                improved = True
        if not improved:
            return


def try_insert(board: Board, p: int) -> bool:
    """Place ``p``, moving at most the meetings that block one slot elsewhere; True if placed."""
    if not board.can_take(p):
        return False
    for s in range(board.n_slots):
        if board.fits(p, s):
            board.place(p, s)
            return True
    a, b = board.ends[p]
    for s in range(board.n_slots):
        if board.blocked[a][s] or board.blocked[b][s] or board.exhausted():
            continue
        mark = board.mark()
        if _clear_slot(board, p, s) and board.fits(p, s):
            board.place(p, s)
            return True
        board.rollback(mark)
    return False


def try_exchange(board: Board, p: int, eps: float) -> bool:
    """Eject meetings in p's way, place ``p``, refill; keep only a strict gain in total score."""
    before = board.total
    mark = board.mark()
    for ejected in _ejection_sets(board, p, eps):
        for q in ejected:
            board.unplace(q)
        if try_insert(board, p):
            _refill(board, ejected, p)
            if board.total > before + eps:
                return True
        board.rollback(mark)
    if _ejection_needed(board, p):
        return False
    # Nothing to eject for caps: p is shut out by busy slots, so bump a slot's meetings instead.
    a, b = board.ends[p]
    for s in range(board.n_slots):
        if board.blocked[a][s] or board.blocked[b][s] or board.exhausted():
            continue
        bumped = _bump_slot(board, p, s)
        if bumped is not None:
            board.place(p, s)
            for q in bumped:
                try_insert(board, q)
            _refill(board, bumped, p)
            if board.total > before + eps:
                return True
        board.rollback(mark)
    return False


def _clear_slot(board: Board, p: int, s: int) -> bool:
    """Relocate the meetings that stop ``p`` from using slot ``s``; False if one cannot move."""
    a, b = board.ends[p]
    for q in sorted({board.busy[a][s], board.busy[b][s]} - {FREE}):
        if board.pinned[q] or not _relocate(board, q, s):
            return False
    if board.load[s] < board.n_tables:
        return True
    return any(not board.pinned[q] and _relocate(board, q, s) for q in sorted(board.members[s]))


def _relocate(board: Board, q: int, avoid: int) -> bool:
    """Move ``q`` to the earliest other slot where it fits; leave it where it was if none does."""
    home = board.slot_of[q]
    board.unplace(q)
    for s in range(board.n_slots):
        if s != avoid and board.fits(q, s):
            board.place(q, s)
            return True
    board.place(q, home)
    return False


def _ejection_needed(board: Board, p: int) -> bool:
    a, b = board.ends[p]
    g = board.group_used[board.group[p]]
    return g != FREE or board.count[a] >= board.cap or board.count[b] >= board.cap


def _ejection_sets(board: Board, p: int, eps: float) -> list[tuple[int, ...]]:
    """Sets of unpinned meetings whose removal frees p's caps, cheapest first, pruned by a bound."""
    g = board.group_used[board.group[p]]
    if g != FREE:
        # The same two organizations already meet through another candidate: swap it out.
        choices: list[tuple[int, ...]] = [] if board.pinned[g] else [(g,)]
    else:
        per_org = []
        for o in board.ends[p]:
            if board.count[o] >= board.cap:
                held = [q for q in board.by_org[o] if board.slot_of[q] != FREE and not board.pinned[q]]
                per_org.append(held)
        if not per_org:
            return []
        choices = [tuple(sorted(set(combo))) for combo in product(*per_org)]
    bounded = [e for e in choices if _upper_gain(board, p, e) > eps]
    return sorted(set(bounded), key=lambda e: (sum(board.score[q] for q in e), e))


def _upper_gain(board: Board, p: int, ejected: tuple[int, ...]) -> float:
    """An optimistic gain: p plus the best waiting candidate of each freed partner, minus the ejected."""
    gain = board.score[p] - sum(board.score[q] for q in ejected)
    for q in ejected:
        for o in board.ends[q]:
            if o not in board.ends[p]:
                gain += next((board.score[r] for r in board.by_org[o] if _waiting(board, r, p)), 0.0)
    return gain


def _waiting(board: Board, r: int, p: int) -> bool:
    return r != p and board.slot_of[r] == FREE


def _bump_slot(board: Board, p: int, s: int) -> list[int] | None:
    """Unplace whatever blocks ``p`` at slot ``s`` (cheapest meeting if the slot is full)."""
    a, b = board.ends[p]
    bumped = sorted({board.busy[a][s], board.busy[b][s]} - {FREE})
    if any(board.pinned[q] for q in bumped):
        return None
    for q in bumped:
        board.unplace(q)
    if board.load[s] >= board.n_tables:
        movable = [q for q in board.members[s] if not board.pinned[q]]
        if not movable:
            return None
        cheapest = min(movable, key=lambda q: (board.score[q], q))
        board.unplace(cheapest)
        bumped.append(cheapest)
    return bumped if board.fits(p, s) else None


def _refill(board: Board, freed: tuple[int, ...] | list[int], p: int) -> None:
    """Try the best waiting candidates of the organizations that just got capacity back."""
    orgs = {o for q in freed for o in board.ends[q]}
    waiting = sorted(
        {r for o in orgs for r in board.by_org[o] if _waiting(board, r, p)},
        key=lambda r: (-board.score[r], r),
    )
    for r in waiting[:REFILL_LIMIT]:
        try_insert(board, r)
