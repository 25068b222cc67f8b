"""Mutable working state of the agenda search, with an undo journal for cheap trial moves."""

from __future__ import annotations

from .spec import AgendaError, AgendaProblem, OrgKey

FREE = -1


class Board:
    """Which slot each candidate occupies, indexed by integers for speed.

    Tables are not tracked here: within a slot any free table will do, so only the slot load
    matters until the final table assignment.
    """

    def __init__(self, problem: AgendaProblem, step_budget: int) -> None:
        self.problem = problem
        self.n_slots = problem.slots
        self.n_tables = problem.tables
        self.cap = problem.cap
        orgs: dict[OrgKey, int] = {}
        groups: dict[frozenset[OrgKey], int] = {}
        self.ends: list[tuple[int, int]] = []
        self.group: list[int] = []
        self.score = [float(pair.score) for pair in problem.pairs]
        for pair in problem.pairs:
            a = orgs.setdefault(pair.a, len(orgs))
            b = orgs.setdefault(pair.b, len(orgs))
            self.ends.append((a, b))
            self.group.append(groups.setdefault(pair.orgs, len(groups)))
        self.org_index = orgs
        self.blocked = [[False] * self.n_slots for _ in orgs]
        for org, slots in problem.unavailable.items():
            if org in orgs:
                for s in slots:
                    if 0 <= s < self.n_slots:
                        self.blocked[orgs[org]][s] = True
        self.busy = [[FREE] * self.n_slots for _ in orgs]
        self.count = [0] * len(orgs)
        self.load = [0] * self.n_slots
        self.members: list[set[int]] = [set() for _ in range(self.n_slots)]
        self.group_used = [FREE] * len(groups)
        self.slot_of = [FREE] * len(problem.pairs)
        self.pinned = [False] * len(problem.pairs)
        """Immovable for the search: pinned meetings and, once placed, required pairs."""
        ids = [pair.pair_id for pair in problem.pairs]
        self.excluded = [pid in problem.excluded for pid in ids]
        required = set(problem.required)
        self.required = [pid in required for pid in ids]
        self.by_org: list[list[int]] = [[] for _ in orgs]
        for p in self.order_by_score():
            a, b = self.ends[p]
            self.by_org[a].append(p)
            self.by_org[b].append(p)
        self.total = 0.0
        self.journal: list[tuple[int, int, int]] = []
        self.steps = 0
        self.step_budget = step_budget

    def order_by_score(self) -> list[int]:
        """Candidate indices, best score first; ties keep input order so results are deterministic."""
        return sorted(range(len(self.score)), key=lambda p: (-self.score[p], p))

    def exhausted(self) -> bool:
        """Whether the deterministic work budget is spent."""
        return self.steps >= self.step_budget

    def why_not(self, p: int, s: int) -> str | None:
        """The code of the first constraint that placing ``p`` at ``s`` would break, or None."""
        self.steps += 1
        a, b = self.ends[p]
        if self.excluded[p]:
            return "pair_excluded"
        if self.slot_of[p] != FREE or self.group_used[self.group[p]] != FREE:
            return "pair_already_scheduled"
        if self.blocked[a][s] or self.blocked[b][s]:
            return "org_unavailable"
        if self.busy[a][s] != FREE or self.busy[b][s] != FREE:
            return "org_busy"
        if self.count[a] >= self.cap or self.count[b] >= self.cap:
            return "cap_exceeded"
        if self.load[s] >= self.n_tables:
            return "slot_full"
        return None

    def fits(self, p: int, s: int) -> bool:
        """Whether ``p`` can be placed at ``s`` right now."""
        return self.why_not(p, s) is None

    def can_take(self, p: int) -> bool:
        """Whether ``p`` is unplaced and neither its org pair nor its orgs' caps rule it out."""
        a, b = self.ends[p]
        return (
            not self.excluded[p]
            and self.slot_of[p] == FREE
            and self.group_used[self.group[p]] == FREE
            and self.count[a] < self.cap
            and self.count[b] < self.cap
        )

    def place(self, p: int, s: int) -> None:
        """Put ``p`` at slot ``s`` (caller has checked it fits) and journal it."""
        self._set(p, s)
        self.journal.append((p, FREE, s))

    def unplace(self, p: int) -> None:
        """Take ``p`` out of its slot and journal it."""
        s = self.slot_of[p]
        self._unset(p)
        self.journal.append((p, s, FREE))

    def pin(self, p: int, s: int) -> None:
        """Place a pinned meeting, refusing any conflict with what is already pinned."""
        reason = self.why_not(p, s)
        if reason is not None:
            raise AgendaError(reason, f"pinned pair {self.problem.pairs[p].pair_id!r} cannot go in slot {s}")
        self.place(p, s)
        self.pinned[p] = True

    def mark(self) -> int:
        """A journal position to roll back to."""
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo every move made since ``mark``."""
        while len(self.journal) > mark:
            p, old, new = self.journal.pop()
            if new != FREE:
                self._unset(p)
            if old != FREE:
                self._set(p, old)

    def _set(self, p: int, s: int) -> None:
        a, b = self.ends[p]
        self.slot_of[p] = s
        self.busy[a][s] = self.busy[b][s] = p
        self.count[a] += 1
        self.count[b] += 1
        self.load[s] += 1
        self.members[s].add(p)
        self.group_used[self.group[p]] = p
        self.total += self.score[p]

    def _unset(self, p: int) -> None:
        a, b = self.ends[p]
        s = self.slot_of[p]
        self.slot_of[p] = FREE
        self.busy[a][s] = self.busy[b][s] = FREE
        self.count[a] -= 1
        self.count[b] -= 1
        self.load[s] -= 1
        self.members[s].discard(p)
        self.group_used[self.group[p]] = FREE
        self.total -= self.score[p]
