"""Posting lists page in SQL: count(*) and LIMIT/OFFSET, never every row (my postings, staff, public)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matchmaker.models import User
from matchmaker.services.postings import lifecycle
from matchmaker.services.postings.lifecycle import PostingFilter


def _limited(statements: list[str], table: str) -> None:
    reads = [s for s in statements if f"FROM {table}" in s]
    assert any("count(*)" in s.lower() for s in reads), reads
    assert any("LIMIT" in s and "OFFSET" in s for s in reads), reads
    # whole rows are read only for one page: by LIMIT, or by the ids of a limited id query
    assert all("LIMIT" in s or f"{table}.id IN" in s for s in reads if f"{table}.title" in s), reads


def test_my_postings_are_paged(make_user: Callable[..., User], make_posting: Callable[..., Any],
                               statements: list[str]) -> None:
    owner = make_user("researcher")
    made = [make_posting("result", owner=owner, status=s) for s in ("draft", "pending", "published") * 2]
    make_posting("result")  # someone else's
    statements.clear()
    first, total = lifecycle.list_mine("result", owner, page=1, per_page=4)
    second, _total = lifecycle.list_mine("result", owner, page=2, per_page=4)
    assert total == 6 and len(first) == 4 and len(second) == 2
    assert sorted(p.id for p in first + second) == sorted(p.id for p in made)
    _limited(statements, "result")


def test_staff_lists_are_paged(make_user: Callable[..., User], make_posting: Callable[..., Any],
                               statements: list[str]) -> None:
    for status in ("pending", "pending", "pending", "published"):
        make_posting("need", status=status)
    statements.clear()
    rows, total = lifecycle.list_for_staff("need", PostingFilter(status="pending"), make_user("staff"), per_page=2)
    assert total == 3 and len(rows) == 2 and {r.status for r in rows} == {"pending"}
    _limited(statements, "need")


def test_public_list_filters_modes_in_sql(make_posting: Callable[..., Any], statements: list[str]) -> None:
    joint = make_posting("result", modes=["joint", "service"])
    make_posting("result", modes=["license"])
    statements.clear()
    rows, total = lifecycle.list_public("result", PostingFilter(mode="joint"), per_page=10)
    assert [r.id for r in rows] == [joint.id] and total == 1
    _limited(statements, "result")
