"""Staff figures: per chain, how many subscriptions exist and how many alerts led to a contact request.

An alert "led to" a contact request when the alerted account sent a 我要对接 request for the alerted posting
after the alert (any status: the request was made). Alerts keep their subscription's chain, so a deleted
subscription's alerts still count; subscriptions without a chain are counted under "不限产业链".
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select

from matchmaker.extensions import db
from matchmaker.models import Alert, Chain, ContactRequest, Subscription, User
from matchmaker.services.permissions import require_staff


@dataclass(frozen=True)
class ChainFigures:
    chain: Chain | None
    subscriptions: int
    alerts: int
    contacted: int


def _led_to_contact() -> object:
    return exists().where(ContactRequest.requester_id == Alert.user_id,
                          ContactRequest.created_at >= Alert.created_at,
                          or_(and_(Alert.posting_kind == "result", ContactRequest.result_id == Alert.posting_id),
                              and_(Alert.posting_kind == "need", ContactRequest.need_id == Alert.posting_id)))


def figures_by_chain(actor: User | None) -> list[ChainFigures]:
    """One row per chain (in the chains' order, then "no chain"): active subscriptions, alerts, alerts → contact."""
    require_staff(actor)
    subs = dict(db.session.execute(select(Subscription.chain_id, func.count(Subscription.id))
                                   .where(Subscription.active.is_(True)).group_by(Subscription.chain_id)).all())
    alerts = dict(db.session.execute(select(Alert.chain_id, func.count(Alert.id)).group_by(Alert.chain_id)).all())
    contacted = dict(db.session.execute(select(Alert.chain_id, func.count(Alert.id)).where(_led_to_contact())
                                        .group_by(Alert.chain_id)).all())
    chains: list[Chain | None] = [*db.session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)), None]
    return [ChainFigures(c, subs.get(c.id if c else None, 0), alerts.get(c.id if c else None, 0),
                         contacted.get(c.id if c else None, 0)) for c in chains]
