"""Marshmallow schemas: types only; the services own every rule (required fields, lengths, choices)."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

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


# ---- input -----------------------------------------------------------------------------------------------------

class BodySchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # ?lang=en and friends pass through


class PostingIn(BodySchema):
    """Fields shared by results and needs; lists may be given as arrays."""

    title = Text(allow_none=True)
    chain_id = Id(allow_none=True, strict=True)
    keywords = fields.List(Text(), allow_none=True)
    modes = fields.List(Text(), allow_none=True, metadata={"description": "transfer, license, equity, joint, service"})
    contact_name = Text(allow_none=True)
    contact_phone = Text(allow_none=True)
    contact_email = Text(allow_none=True)
    org_id = Id(allow_none=True, strict=True, load_only=True,
                metadata={"description": "Staff only: post on behalf of this organization."})


class ResultIn(PostingIn):
    summary = Text(allow_none=True)
    innovations = Text(allow_none=True)
    indicators = Text(allow_none=True)
    trl = Int(allow_none=True)
    stage = Text(allow_none=True, metadata={"description": "research, small_trial, pilot, small_batch, industrial"})
    ip_type = Text(allow_none=True, metadata={"description": "invention, utility, design, software, know_how, none"})
    patent_numbers = Text(allow_none=True)
    price_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})
    expires_on = fields.Date(allow_none=True)


class NeedIn(PostingIn):
    problem = Text(allow_none=True)
    targets = Text(allow_none=True)
    need_type = Text(allow_none=True, metadata={"description": "rd, acquire, process, testing, talent"})
    budget_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})
    deadline = fields.Date(allow_none=True)
    trl_min = Int(allow_none=True)


class CreateResult(ResultIn):
    submit = fields.Boolean(load_default=False, metadata={"description": "Send to review right away."})


class CreateNeed(NeedIn):
    submit = fields.Boolean(load_default=False, metadata={"description": "Send to review right away."})


_CONTACT = {"contact_name": "王工", "contact_phone": "13812345678", "contact_email": "wang@example.edu.cn"}
RESULT_EXAMPLE = {
    "title": "耐高温氟橡胶密封材料", "chain_id": 1, "keywords": ["氟橡胶", "密封件"],
    "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。", "trl": 6,
    "stage": "pilot", "ip_type": "invention", "modes": ["license", "transfer"], "price_wan": 80, **_CONTACT,
}
NEED_EXAMPLE = {
    "title": "汽车发动机用耐高温密封件国产化", "chain_id": 1, "keywords": ["密封件", "耐高温"],
    "problem": "现用进口氟橡胶密封件价格高、交期长，需要可在二百摄氏度以上长期工作的国产密封材料。",
    "need_type": "rd", "budget_wan": 50, "deadline": "2030-12-31", "modes": ["joint"], "trl_min": 5, **_CONTACT,
}


class RejectIn(BodySchema):
    reason = Text(required=True)


class OrganizationIn(BodySchema):
    name = Text(allow_none=True)
    kind = Text(allow_none=True, metadata={"description": "university, institute, company, bureau"})
    credit_code = Text(allow_none=True, metadata={"description": "统一社会信用代码"})
    district = Text(allow_none=True)
    address = Text(allow_none=True)
    contact_name = Text(allow_none=True)
    contact_phone = Text(allow_none=True)
    contact_email = Text(allow_none=True)
    description = Text(allow_none=True)


class PageArgs(QuerySchema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=None, validate=validate.Range(1, 100))


SEARCH_Q = {"description": "Search text, ranked by the match engine; longer than the limit (200) it is cut, "
                          "and the page says `truncated`."}


class PostingListArgs(PageArgs):
    q = Text(load_default="", metadata=SEARCH_Q)
    sort = Text(load_default="", validate=validate.OneOf(["", "relevance", "date"]),
                metadata={"description": "relevance (default with q) or date (default without)."})
    chain_id = Id(load_default=None)
    trl_min = fields.Integer(load_default=None, validate=validate.Range(1, 9))
    trl_max = fields.Integer(load_default=None, validate=validate.Range(1, 9))
    mode = Text(load_default="", validate=validate.Length(max=20))
    org_id = Id(load_default=None)
    status = Text(load_default="", validate=validate.Length(max=20),
                  metadata={"description": "Staff only: postings of any status, or of this one."})
    mine = fields.Boolean(load_default=False, metadata={"description": "Only the caller's own postings, any status."})


class OrganizationListArgs(PageArgs):
    q = Text(load_default="", metadata={"description": "Words that must all occur in the name or the profile."})
    kind = Text(load_default="", validate=validate.Length(max=20))


class MatchArgs(QuerySchema):
    k = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    chain_id = Id(load_default=None)
    min_score = fields.Float(load_default=None, validate=validate.Range(0, 1))


class FreeTextArgs(QuerySchema):
    q = Text(required=True, validate=validate.Length(max=4000))
    kind = Text(load_default=None, validate=validate.OneOf(["result", "need"]))
    k = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    chain_id = Id(load_default=None)


class SuggestArgs(QuerySchema):
    text = Text(required=True, validate=validate.Length(max=5000))
    k = fields.Integer(load_default=3, validate=validate.Range(1, 10))
