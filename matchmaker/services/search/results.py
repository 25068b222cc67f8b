"""What a search page holds: the found records (marked), paging, the query as searched, help for an empty result."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from matchmaker.models import Chain

SORTS = ("relevance", "date")
"""Relevance is the default with a query, date without one (there is nothing to rank)."""


@dataclass(frozen=True)
class Found:
    """One listed record with its title and a snippet, hits marked (already escaped)."""

    item: Any
    title: Markup
    snippet: Markup
    score: float | None = None


@dataclass(frozen=True)
class EmptyHelp:
    """What to offer when nothing is found: the nearest chains and a shorter query."""

    chains: tuple[Chain, ...] = ()
    shorter: str = ""
    """The query without its weakest term, when that finds something ("" when it does not)."""
    extra: tuple[Any, ...] = field(default=())
    """Hook for later offers (e.g. "subscribe to this search" once subscriptions exist)."""


@dataclass(frozen=True)
class SearchPage:
    """One page of a search or a list."""

    items: list[Found]
    total: int
    page: int
    per_page: int
    q: str = ""
    sort: str = "date"
    truncated: bool = False
    """True when the query was longer than SEARCH_MAX_CHARS and was cut."""
    help: EmptyHelp | None = None

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def pick_sort(sort: str, q: str) -> str:
    """The asked sort when it is known and possible, else the default for this query."""
    if sort in SORTS and (sort == "date" or q):
        return sort
    return "relevance" if q else "date"
