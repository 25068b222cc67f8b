"""/api/v1/subscriptions: the caller's match-alert subscriptions (list, create, delete), as on 我的订阅."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint
from matchmaker.api.schemas.common import MAX_ID
from matchmaker.api.schemas.subscriptions import SubscriptionIn, SubscriptionOut, present
from matchmaker.services.alerts import subscriptions

blp = api_blueprint("api_subscriptions", __name__, "/subscriptions", "订阅 (match-alert subscriptions)")


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
