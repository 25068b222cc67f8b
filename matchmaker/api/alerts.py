"""/api/v1/subscriptions: the caller's match-alert subscriptions (list, create, delete), as on 我的订阅."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint
from matchmaker.api.schemas import MAX_ID, Id, Int, Text
from matchmaker.models import Subscription
from matchmaker.services.alerts import subscriptions

blp = api_blueprint("api_subscriptions", __name__, "/subscriptions", "订阅 (match-alert subscriptions)")


class SubscriptionIn(Schema):
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
    return {**{k: getattr(sub, k) for k in ("id", "kind", "target_kind", "q", "chain_id", "filters", "posting_kind",
                                            "posting_id", "min_score", "active", "created_at")},
            "description": subscriptions.describe(sub)}


@blp.route("")
class Subscriptions(MethodView):
    @blp.doc(security=REQUIRED_AUTH)
    @blp.response(200, SubscriptionOut(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The caller's subscriptions, newest first."""
        return [present(row.subscription) for row in subscriptions.list_subscriptions(actor())]

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(SubscriptionIn)
    @blp.response(201, SubscriptionOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Subscribe to a search (kind=search) or to new matches for one of your published postings (kind=posting)."""
        return present(subscriptions.create_subscription(data, actor()))


@blp.route(f"/<int(max={MAX_ID}):subscription_id>", methods=["DELETE"])
@blp.doc(security=REQUIRED_AUTH)
@blp.response(204)
def delete_subscription(subscription_id: int) -> None:
    """Delete one of your subscriptions (someone else's is a 404)."""
    subscriptions.delete_subscription(subscription_id, actor())
