"""Frozen dataclasses and the error type of the agenda builder."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

OrgKey = int | str
PairId = int | str


class AgendaError(ValueError):
    """A rejected agenda input or edit; ``code`` is stable, ``message`` is for logs and developers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Pair:
    """A candidate 1:1 meeting between organizations ``a`` and ``b``.

    ``payload`` carries opaque ids (e.g. the result and the need that matched) back to the caller.
    """

    pair_id: PairId
    a: OrgKey
    b: OrgKey
    score: float
    payload: tuple[int | str, ...] = ()

    @property
    def orgs(self) -> frozenset[OrgKey]:
        """The two organizations, unordered."""
        return frozenset((self.a, self.b))


@dataclass(frozen=True)
class Meeting:
    """A pair placed at a time slot and a table (both 0-based)."""

    pair: Pair
    slot: int
    table: int
    pinned: bool = False


@dataclass(frozen=True)
class AgendaProblem:
    """Everything the builder needs: candidates, room size, caps, unavailability and pinned meetings.

    ``unavailable`` maps an organization to the slots it cannot attend.  ``pinned`` meetings must
    reference candidate pairs by ``pair_id``; they are kept at their slot and table.  ``required`` pairs
    (e.g. meetings both sides asked for) must be in the agenda at some slot and table: the builder places
    them first and then optimizes the rest around them, or raises ``AgendaError('required_infeasible')``.
    ``excluded`` pairs (e.g. a meeting one side declined) are never placed.
    """

    pairs: tuple[Pair, ...]
    slots: int
    tables: int
    cap: int
    unavailable: Mapping[OrgKey, frozenset[int]] = field(default_factory=dict)
    pinned: tuple[Meeting, ...] = ()
    required: tuple[PairId, ...] = ()
    excluded: frozenset[PairId] = frozenset()

    def __post_init__(self) -> None:
        # Callers may pass lists and plain dicts; freeze them so the problem cannot change under us.
        object.__setattr__(self, "pairs", tuple(self.pairs))
        object.__setattr__(self, "pinned", tuple(self.pinned))
        object.__setattr__(self, "required", tuple(dict.fromkeys(self.required)))
        object.__setattr__(self, "excluded", frozenset(self.excluded))
        frozen = {org: frozenset(slots) for org, slots in self.unavailable.items()}
        object.__setattr__(self, "unavailable", MappingProxyType(frozen))
        _validate(self)

    def pair_by_id(self, pair_id: PairId) -> Pair:
        """The candidate with this id, or ``AgendaError('unknown_pair')``."""
        for pair in self.pairs:
            if pair.pair_id == pair_id:
                return pair
        raise AgendaError("unknown_pair", f"pair {pair_id!r} is not a candidate")


@dataclass(frozen=True)
class Schedule:
    """The agenda: meetings sorted by (slot, table) and the candidates left out, in input order."""

    problem: AgendaProblem
    meetings: tuple[Meeting, ...]
    unscheduled: tuple[Pair, ...]

    @property
    def total_score(self) -> float:
        """Sum of the scores of the scheduled pairs."""
        return math.fsum(m.pair.score for m in self.meetings)


def _validate(problem: AgendaProblem) -> None:
    for name in ("slots", "tables", "cap"):
        value = getattr(problem, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise AgendaError("bad_input", f"{name} must be a non-negative integer, got {value!r}")
    seen: set[PairId] = set()
    for pair in problem.pairs:
        if pair.pair_id in seen:
            raise AgendaError("duplicate_pair", f"pair id {pair.pair_id!r} appears twice")
        seen.add(pair.pair_id)
        if pair.a == pair.b:
            raise AgendaError("self_pair", f"pair {pair.pair_id!r} meets {pair.a!r} with itself")
        # NaN and infinities would make every comparison of totals meaningless.
        if not (isinstance(pair.score, int | float) and math.isfinite(pair.score) and pair.score > 0):
            raise AgendaError("bad_score", f"pair {pair.pair_id!r} needs a finite score > 0")
    for pair_id in (*problem.required, *problem.excluded):
        if pair_id not in seen:
            raise AgendaError("unknown_pair", f"pair {pair_id!r} is not a candidate")
    clash = sorted(map(str, set(problem.required) & problem.excluded))
    if clash:
        raise AgendaError("required_excluded", f"pairs {', '.join(clash)} are both required and excluded")
    for m in problem.pinned:
        if m.pair.pair_id in problem.excluded:
            raise AgendaError("pinned_excluded", f"pinned pair {m.pair.pair_id!r} is excluded")
