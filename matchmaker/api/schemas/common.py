"""What every API resource shares: text and id fields, body and query bases, paging in and out, time stamps."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from matchmaker.services import fields as clock
from matchmaker.services.goals.figures import MAX_YEAR, MIN_YEAR

MAX_ID = 2**31 - 1


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class Text(fields.String):
    """A string the databases can store: no NUL (PostgreSQL refuses it) and no lone surrogates."""

    default_error_messages = {"unstorable": "Contains characters that cannot be stored."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if UNSTORABLE.search(text):
            raise self.make_error("unstorable")
        return text


def Id(**kwargs: Any) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A row id: a positive 32-bit integer, so a huge number is a validation error, not a database overflow."""
    metadata = {"format": "int32", **kwargs.pop("metadata", {})}
    return fields.Integer(validate=validate.Range(1, MAX_ID), metadata=metadata, **kwargs)


def Int(**kwargs: Any) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A JSON integer: 6.5 is refused rather than cut to 6."""
    return fields.Integer(strict=True, **kwargs)


class ErrorSchema(Schema):
    """Every error: a stable code, a message for people and the messages per field."""

    code = fields.String(required=True, metadata={"example": "validation_failed"})
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class BodySchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # ?lang=en and friends pass through


class PageArgs(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=None, validate=validate.Range(1, 100))


SEARCH_Q = {"description": "Search text, ranked by the match engine; longer than the limit (200) it is cut, "
                          "and the page says `truncated`."}


YEAR = validate.Range(MIN_YEAR, MAX_YEAR)


class LocalDateTime(fields.DateTime):
    """An event's wall-clock time in Asia/Shanghai: a time with an offset is converted, one without is taken as is.

    Years are kept to MIN_YEAR..MAX_YEAR so slot times can never overflow.
    """

    default_error_messages = {"invalid": _l("时间格式应为 YYYY-MM-DD HH:MM。")}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise self.make_error("invalid")
        if moment.tzinfo is not None:
            moment = moment.astimezone(clock.local_tz()).replace(tzinfo=None)
        return moment


class StatusIn(BodySchema):
    status = Text(required=True)


class ReasonIn(Schema):
    reason = Text(load_default="", validate=validate.Length(max=2000))


class PageOut(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class SearchPageOut(PageOut):
    q = fields.String(metadata={"description": "The query as searched (cut to SEARCH_MAX_CHARS characters)."})
    sort = fields.String(metadata={"description": "relevance (best match first) or date (newest first)."})
    truncated = fields.Boolean(metadata={"description": "True when the query was longer than the limit and was cut."})


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def search_page(items: list[Any], found: Any) -> dict[str, Any]:
    """A page of search results: the page fields plus the query as searched, its sort and whether it was cut."""
    return {**page(items, found.total, found.page, found.per_page), "q": found.q, "sort": found.sort,
            "truncated": found.truncated}


def page(items: list[Any], total: int, page_number: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page_number, "per_page": per_page,
            "pages": max((total + per_page - 1) // per_page, 1)}


def local(moment: datetime) -> datetime:
    """Events keep naive local wall-clock times; give them the bureau's offset (config TIMEZONE)."""
    return moment.replace(tzinfo=clock.local_tz()) if moment.tzinfo is None else moment


def paged(rows: list[Any], args: dict[str, Any], size: int, render: Any) -> dict[str, Any]:
    """One page of a service's full list, like the other lists."""
    number = args["page"]
    return page([render(r) for r in rows[(number - 1) * size:number * size]], len(rows), number, size)
