"""Subscribing: bad input is a field error and writes nothing; the digest frequency; the staff figures."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, ContactRequest, Subscription, User
from matchmaker.services.alerts import stats, subscriptions
from matchmaker.services.errors import NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.postings import review
from tests.services.alerts.conftest import SEAL_NEED


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Subscription.id))) or 0,
            db.session.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.mark.parametrize(("data", "field"), [
    ({"q": "", "target_kind": "need"}, "q"),
    ({"q": "   ", "target_kind": "need"}, "q"),
    ({"q": "氟橡胶", "target_kind": "patent"}, "kind"),
    ({"q": "氟橡胶", "target_kind": "need", "chain_id": "99999"}, "chain_id"),
    ({"q": "氟橡胶", "target_kind": "need", "chain_id": "abc"}, "chain_id"),
    ({"q": "氟橡胶", "target_kind": "need", "trl_min": "0"}, "trl_min"),
    ({"q": "氟橡胶", "target_kind": "need", "trl_min": "7", "trl_max": "3"}, "trl_max"),
    ({"q": "氟橡胶", "target_kind": "need", "mode": "barter"}, "mode"),
    ({"kind": "posting", "posting_kind": "result", "min_score": "101"}, "min_score"),
    ({"kind": "posting", "posting_kind": "result", "min_score": "-1"}, "min_score"),
    ({"kind": "posting", "posting_kind": "result", "min_score": "七十"}, "min_score"),
    ({"kind": "posting", "posting_kind": "result", "min_score": ""}, "min_score"),
    ({"kind": "weekly"}, "kind"),
])
def test_bad_input_is_a_field_error_and_writes_nothing(app: Any, make_user: Callable[..., User],
                                                       make_posting: Callable[..., Any], data: dict[str, Any],
                                                       field: str) -> None:
    user = make_user("researcher")
    own = make_posting("result", owner=user)
    before = _counts()
    if data.get("kind") == "posting":
        data = {"posting_id": own.id, **data}
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription({"kind": "search", **data}, user)
    assert field in caught.value.errors
    assert _counts() == before


@pytest.mark.parametrize("whose", ["someone_else", "draft", "missing"])
def test_a_posting_subscription_is_for_ones_own_published_posting(app: Any, make_user: Callable[..., User],
                                                                  make_posting: Callable[..., Any], whose: str) -> None:
    user = make_user("researcher")
    target = {"someone_else": lambda: make_posting("result").id,
              "draft": lambda: make_posting("result", owner=user, status="draft").id,
              "missing": lambda: 99999}[whose]()
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription({"kind": "posting", "posting_kind": "result", "posting_id": target,
                                           "min_score": 30}, user)
    assert "posting_id" in caught.value.errors and _counts() == before


def test_the_cap_is_configurable_and_counted_per_account(app: Any, make_user: Callable[..., User]) -> None:
    app.config["SUBSCRIPTIONS_PER_USER"] = 2
    user, other = make_user("researcher"), make_user("company")
    for q in ("氟橡胶", "密封件"):
        subscriptions.create_subscription({"kind": "search", "q": q, "target_kind": "need"}, user)
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        subscriptions.create_subscription({"kind": "search", "q": "硅胶", "target_kind": "need"}, user)
    assert "form" in caught.value.errors and _counts() == before
    subscriptions.create_subscription({"kind": "search", "q": "硅胶", "target_kind": "result"}, other)


def test_create_list_delete_and_audit(app: Any, make_user: Callable[..., User], default_chains: list[Any]) -> None:
    user, other = make_user("company"), make_user("company")
    sub = subscriptions.create_subscription({"kind": "search", "q": "氟橡胶", "target_kind": "result",
                                             "chain_id": str(default_chains[0].id), "trl_min": "4",
                                             "mode": "license"},
                                            user)
    assert (sub.filters, sub.chain_id) == ({"trl_min": 4, "mode": "license"}, default_chains[0].id)
    [row] = subscriptions.list_subscriptions(user)
    assert "氟橡胶" in row.description and default_chains[0].name in row.description and "TRL 4–9" in row.description
    assert subscriptions.list_subscriptions(other) == []
    with pytest.raises(NotFound):
        subscriptions.delete_subscription(sub.id, other)
    with pytest.raises(PermissionDenied):
        subscriptions.create_subscription({"q": "x", "target_kind": "need"}, None)
    subscriptions.delete_subscription(sub.id, user)
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "subscription")))
    assert actions == ["subscribe", "delete_subscription"]


def test_frequency_choice(app: Any, make_user: Callable[..., User]) -> None:
    user = make_user("researcher")
    assert subscriptions.frequency_of(user) == "daily"
    with pytest.raises(ValidationFailed):
        subscriptions.set_frequency({"frequency": "hourly"}, user)
    subscriptions.set_frequency({"frequency": "weekly"}, user)
    assert subscriptions.frequency_of(user) == "weekly"


def test_staff_figures_count_alerts_that_led_to_a_contact_request(
        app: Any, make_user: Callable[..., User], make_posting: Callable[..., Any],
        default_chains: list[Any]) -> None:
    make_posting("result")
    staff = make_user("staff")
    reader, idle = make_user("researcher"), make_user("researcher")
    chain = default_chains[0]
    for user in (reader, idle):
        subscriptions.create_subscription({"kind": "search", "q": "氟橡胶 密封件", "target_kind": "need",
                                           "chain_id": str(chain.id)}, user)
    need = make_posting("need", status="pending", chain_id=chain.id, **SEAL_NEED)
    review.publish_posting("need", need.id, staff)
    db.session.add(ContactRequest(requester_id=reader.id, requester_org_id=reader.org_id, target_kind="need",
                                  need_id=need.id, owner_id=need.owner_id, owner_org_id=need.org_id,
                                  message="希望合作。", mode="joint"))
    db.session.commit()
    with pytest.raises(PermissionDenied):
        stats.figures_by_chain(reader)
    rows = {r.chain.id if r.chain else None: r for r in stats.figures_by_chain(staff)}
    assert (rows[chain.id].subscriptions, rows[chain.id].alerts, rows[chain.id].contacted) == (2, 2, 1)
    assert rows[None].subscriptions == 0
