"""The demo shows the people layer at once: requests in every state, unread notifications, pending org and join,
and match-alert subscriptions."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, Intent, Membership, Organization, Subscription, User
from matchmaker.models.contact import CONTACT_STATUSES
from matchmaker.services.demo import seed as demo
from matchmaker.services.notify import notifications
from matchmaker.services.permissions import standing_problem


def test_demo_people_layer(app: Any) -> None:
    app.config["MATCH_INDEX_ENABLED"] = False
    demo.seed_demo(app.config["CORPUS_DIR"])
    statuses = set(db.session.scalars(select(ContactRequest.status)))
    assert statuses == set(CONTACT_STATUSES)
    revealed = db.session.scalar(select(ContactRequest).where(ContactRequest.status == "revealed"))
    assert revealed is not None
    assert db.session.scalar(select(Intent).where(Intent.contact_request_id == revealed.id)) is not None
    users = {u.username: u for u in db.session.scalars(select(User))}
    for name in ("staff", "company", "researcher"):
        assert notifications.unread_count(users[name]) > 0, name
    assert standing_problem(users["company"]) is None and standing_problem(users["researcher"]) is None
    assert db.session.scalar(select(Organization).where(Organization.status == "pending")) is not None
    assert db.session.scalar(select(Membership).where(Membership.status == "pending")) is not None
    assert standing_problem(users["c_newfirm"]) is not None and standing_problem(users["r_newjoin"]) is not None
    subscriptions = list(db.session.scalars(select(Subscription).order_by(Subscription.id)))
    assert {(s.user.username, s.kind) for s in subscriptions} == {
        (name, kind) for name in ("researcher", "company") for kind in ("search", "posting")}
    watched = [s for s in subscriptions if s.kind == "posting"]
    assert all(s.posting_id and s.min_score > 0 and s.chain_id for s in watched)
    assert all(s.q and s.chain_id for s in subscriptions if s.kind == "search")
    assert demo.seed_demo(app.config["CORPUS_DIR"]) == {}  # idempotent
