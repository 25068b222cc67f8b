"""Adapter between the database and the pure matching engine (filled in by the matching work)."""
from __future__ import annotations

from typing import Any


def flag_duplicate(posting: Any) -> None:
    """Mark `posting` as a near-duplicate of an existing one, if the engine finds one."""
    return None


def suggestions_for(kind: str, posting: Any, actor: Any) -> list[Any]:
    """Ranked suggestions for a posting (empty until the engine is wired)."""
    return []


def suggestions_for_org(org: Any, actor: Any) -> list[Any]:
    """Suggestions across all of an organization's published postings."""
    return []
