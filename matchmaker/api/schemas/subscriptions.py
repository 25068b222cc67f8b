"""Match-alert subscriptions: input, output and presenter."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import BodySchema, Id, Int, Text
from matchmaker.models import Subscription
from matchmaker.services.alerts import subscriptions


class SubscriptionIn(BodySchema):
    kind = Text(load_default="search", metadata={"description": "search | posting"})
    q = Text(load_default="", validate=validate.Length(max=1000), metadata={"description": "search: the text"})
    target_kind = Text(load_default="", metadata={"description": "search: result | need"})
    chain_id = Id(load_default=None, allow_none=True)
    trl_min = Int(load_default=None, allow_none=True)
    trl_max = Int(load_default=None, allow_none=True)
    mode = Text(load_default="", validate=validate.Length(max=20))
    posting_kind = Text(load_default="", metadata={"description": "posting: result | need (one of yours)"})
    posting_id = Id(load_default=None, allow_none=True)
    min_score = Int(load_default=None, allow_none=True,
                    metadata={"description": "posting: the lowest pair score that alerts, 0..100"})


class SubscriptionOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    target_kind = fields.String(required=True)
    q = fields.String(required=True)
    chain_id = fields.Integer(allow_none=True, required=True)
    filters = fields.Dict(required=True)
    posting_kind = fields.String(required=True)
    posting_id = fields.Integer(allow_none=True, required=True)
    min_score = fields.Integer(required=True)
    active = fields.Boolean(required=True)
    description = fields.String(required=True)
    created_at = fields.DateTime(required=True)


def present(sub: Subscription) -> dict[str, Any]:
    """A subscription with its one-line description in the caller's language."""
    return {**{k: getattr(sub, k) for k in ("id", "kind", "target_kind", "q", "chain_id", "filters", "posting_kind",
                                            "posting_id", "min_score", "active", "created_at")},
            "description": subscriptions.describe(sub)}
