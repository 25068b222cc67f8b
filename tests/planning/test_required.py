"""Required pairs (accepted meeting requests) and excluded pairs (declined ones) in the agenda builder."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.planning import (
    AgendaError,
    AgendaProblem,
    Meeting,
    Pair,
    Schedule,
    add_meeting,
    build_agenda,
    greedy_schedule,
)

from .test_agenda import CAP_TRAP, assert_valid, make_problem


def assert_keeps_requests(schedule: Schedule) -> None:
    """Valid, with every required pair in and no excluded pair."""
    assert_valid(schedule)
    placed = {m.pair.pair_id for m in schedule.meetings}
    assert set(schedule.problem.required) <= placed, "a required pair is missing"
    assert not placed & schedule.problem.excluded, "an excluded pair was scheduled"


def test_a_required_pair_beats_a_better_one() -> None:
    # Without the requirement A-B (10) would win; A-C is required, so A (cap 1) meets C only.
    problem = AgendaProblem(make_problem(CAP_TRAP).pairs, 2, 2, 1, required=("A-C",))
    for schedule in (greedy_schedule(problem), build_agenda(problem), build_agenda(problem, exact_time_limit=None)):
        assert {m.pair.pair_id for m in schedule.meetings} == {"A-C", "B-D"}
        assert_keeps_requests(schedule)
        assert not any(m.pinned for m in schedule.meetings), "required is not pinned to a table"


def test_excluded_pair_is_never_placed_even_with_room() -> None:
    problem = AgendaProblem(make_problem(CAP_TRAP).pairs, 3, 3, 3, excluded=frozenset({"A-B"}))
    schedule = build_agenda(problem)
    assert {m.pair.pair_id for m in schedule.meetings} == {"A-C", "B-D"}
    assert [p.pair_id for p in schedule.unscheduled] == ["A-B"]
    with pytest.raises(AgendaError) as info:
        add_meeting(schedule, problem.pair_by_id("A-B"), 2, 2)
    assert info.value.code == "pair_excluded"


def test_required_and_pinned_together() -> None:
    base = make_problem([("A", "B", 5.0), ("A", "C", 1.0), ("C", "D", 2.0)])
    pin = Meeting(base.pair_by_id("A-B"), 0, 1)
    problem = AgendaProblem(base.pairs, 2, 2, 2, pinned=(pin,), required=("A-C", "A-B"))
    schedule = build_agenda(problem)
    assert_keeps_requests(schedule)
    assert [(m.pair.pair_id, m.slot, m.table, m.pinned) for m in schedule.meetings if m.pinned] == [("A-B", 0, 1, True)]
    assert next(m for m in schedule.meetings if m.pair.pair_id == "A-C").slot == 1


@pytest.mark.parametrize(
    ("edges", "overrides", "required"),
    [
        # A may meet only once but two meetings of A are required.
        ([("A", "B", 1.0), ("A", "C", 1.0)], {"cap": 1}, ("A-B", "A-C")),
        # One slot: A cannot be in two places at once.
        ([("A", "B", 1.0), ("A", "C", 1.0)], {"slots": 1}, ("A-B", "A-C")),
        # One table per slot, three required meetings, two slots.
        ([("A", "B", 1.0), ("C", "D", 1.0), ("E", "F", 1.0)], {"slots": 2, "tables": 1}, ("A-B", "C-D", "E-F")),
        # B is away the only slot.
        ([("A", "B", 1.0)], {"slots": 1, "unavailable": {"B": {0}}}, ("A-B",)),
    ],
    ids=["cap", "double_booking", "tables", "unavailable"],
)
def test_impossible_requirements_raise(edges: list[tuple[str, str, float]], overrides: dict[str, object],
                                       required: tuple[str, ...]) -> None:
    problem = make_problem(edges, **overrides, required=required)
    for build in (greedy_schedule, build_agenda):
        with pytest.raises(AgendaError) as info:
            build(problem)
        assert info.value.code == "required_infeasible"


def test_two_required_pairs_of_the_same_organizations_raise() -> None:
    problem = AgendaProblem((Pair(1, "A", "B", 1.0), Pair(2, "B", "A", 1.0)), 3, 3, 3, required=(1, 2))
    with pytest.raises(AgendaError) as info:
        build_agenda(problem)
    assert info.value.code == "required_infeasible"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"required": ("nope",)}, "unknown_pair"),
        ({"excluded": frozenset({"nope"})}, "unknown_pair"),
        ({"required": ("A-B",), "excluded": frozenset({"A-B"})}, "required_excluded"),
    ],
)
def test_bad_required_or_excluded_ids(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(AgendaError) as info:
        make_problem([("A", "B", 1.0)], **kwargs)
    assert info.value.code == code


def test_pinned_excluded_pair_is_rejected() -> None:
    base = make_problem([("A", "B", 1.0)])
    with pytest.raises(AgendaError) as info:
        AgendaProblem(base.pairs, 3, 3, 3, pinned=(Meeting(base.pairs[0], 0, 0),), excluded=frozenset({"A-B"}))
    assert info.value.code == "pinned_excluded"


# --- random instances --------------------------------------------------------------------------


@st.composite
def requested_problems(draw: st.DrawFn, max_pairs: int = 24) -> AgendaProblem:
    """Random events whose required pairs come from a feasible placement, so they can always be kept.

    The placement is drawn at random (not by the builder), and a random part of the remaining candidates
    is excluded, as declined requests would be.
    """
    n_orgs = draw(st.integers(2, 9))
    slots, tables, cap = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    edges = draw(st.lists(st.tuples(st.integers(0, n_orgs - 1), st.integers(0, n_orgs - 1), st.integers(1, 20))
                          .filter(lambda e: e[0] != e[1]), max_size=max_pairs))
    pairs = tuple(Pair(i, f"o{a}", f"o{b}", float(score)) for i, (a, b, score) in enumerate(edges))
    unavailable = draw(st.dictionaries(st.sampled_from([f"o{i}" for i in range(n_orgs)]),
                                       st.frozensets(st.integers(0, slots - 1)), max_size=3))
    busy: set[tuple[str, int]] = set()
    load: Counter[int] = Counter()
    count: Counter[str] = Counter()
    met: set[frozenset[str]] = set()
    required = []
    for pair in draw(st.permutations(pairs)):
        if not draw(st.booleans()) or pair.orgs in met or count[pair.a] >= cap or count[pair.b] >= cap:
            continue
        free = [s for s in range(slots) if load[s] < tables
                and all((o, s) not in busy and s not in unavailable.get(o, ()) for o in (pair.a, pair.b))]
        if free:
            s = draw(st.sampled_from(free))
            busy |= {(pair.a, s), (pair.b, s)}
            load[s] += 1
            count.update((pair.a, pair.b))
            met.add(pair.orgs)
            required.append(pair.pair_id)
    rest = [p.pair_id for p in pairs if p.pair_id not in required]
    excluded = frozenset(draw(st.lists(st.sampled_from(rest), unique=True)) if rest else ())
    return AgendaProblem(pairs, slots, tables, cap, unavailable, required=tuple(required), excluded=excluded)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requested_problems())
def test_random_instances_keep_every_required_pair(problem: AgendaProblem) -> None:
    greedy = greedy_schedule(problem)
    assert_keeps_requests(greedy)
    for schedule in (build_agenda(problem, exact_time_limit=None), build_agenda(problem)):
        assert_keeps_requests(schedule)
        assert schedule.total_score >= greedy.total_score


def feasible_by_brute_force(problem: AgendaProblem) -> bool:
    """Whether the required pairs alone fit in some slot assignment (tiny instances only)."""
    required = [problem.pair_by_id(pid) for pid in problem.required]
    for choice in itertools.product(range(problem.slots), repeat=len(required)):
        used = list(zip(required, choice, strict=True))
        busy = Counter((o, s) for p, s in used for o in (p.a, p.b))
        if (max(busy.values(), default=0) <= 1
                and max(Counter(choice).values(), default=0) <= problem.tables
                and max(Counter(o for p in required for o in (p.a, p.b)).values(), default=0) <= problem.cap
                and max(Counter(p.orgs for p in required).values(), default=0) <= 1
                and all(s not in problem.unavailable.get(o, ()) for p, s in used for o in (p.a, p.b))):
            return True
    return False


@st.composite
def any_required(draw: st.DrawFn) -> AgendaProblem:
    """Tiny events with an arbitrary set of required pairs, feasible or not."""
    base = draw(requested_problems(max_pairs=7))
    required = draw(st.lists(st.sampled_from([p.pair_id for p in base.pairs]), unique=True, max_size=5)
                    if base.pairs else st.just([]))
    return AgendaProblem(base.pairs, base.slots, base.tables, base.cap, base.unavailable, required=tuple(required))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_required())
def test_required_infeasible_only_when_no_placement_exists(problem: AgendaProblem) -> None:
    try:
        schedule = build_agenda(problem)
    except AgendaError as exc:
        assert exc.code == "required_infeasible"
        assert not feasible_by_brute_force(problem)
    else:
        assert_keeps_requests(schedule)
        assert feasible_by_brute_force(problem)
