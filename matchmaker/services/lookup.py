"""Fetching one row by primary key (or the domain's NotFound), and one page of a list."""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select

from matchmaker.extensions import db
from matchmaker.services.errors import NotFound

T = TypeVar("T")


def get_or_not_found(model: type[T], ident: Any, message: Any) -> T:
    """The row of `model` with this id; NotFound(message) when there is none."""
    row = db.session.get(model, ident) if ident is not None else None
    if row is None:
        raise NotFound(message)
    return row


def page_of(stmt: Select[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of an ordered statement and the count of all its rows, both in SQL (never every row)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total
