"""Fetching one row by primary key, or the domain's NotFound."""
from __future__ import annotations

from typing import Any, TypeVar

from matchmaker.extensions import db
from matchmaker.services.errors import NotFound

T = TypeVar("T")


def get_or_not_found(model: type[T], ident: Any, message: Any) -> T:
    """The row of `model` with this id; NotFound(message) when there is none."""
    row = db.session.get(model, ident) if ident is not None else None
    if row is None:
        raise NotFound(message)
    return row
