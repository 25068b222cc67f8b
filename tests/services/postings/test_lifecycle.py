"""The posting life cycle through its services: draft → pending → published | rejected → withdrawn, each move with
its audit entry, every move the life cycle does not allow refused with Conflict (and nothing changed)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User
from matchmaker.models.posting import TRANSITIONS
from matchmaker.services.errors import Conflict
from matchmaker.services.matching import change_log
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import review
from tests.conftest import need_data, result_data

KINDS = ("result", "need")
STATUSES = ("draft", "pending", "published", "rejected", "withdrawn", "transferred")
REASON = "请补充技术指标和知识产权情况。"


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


def _owner(kind: str, make_user: Callable[..., User]) -> User:
    return make_user("researcher" if kind == "result" else "company")


def _data(kind: str, chain_id: int) -> dict[str, Any]:
    return (result_data if kind == "result" else need_data)(chain_id)


def _trail(posting: Any) -> list[tuple[str, Any]]:
    """(action, status change) of the posting's audit entries, oldest first."""
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == posting.kind,
                                                       AuditEntry.entity_id == posting.id).order_by(AuditEntry.id))
    return [(e.action, (e.changes or {}).get("status")) for e in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_draft_pending_published_withdrawn(kind: str, staff: User, make_user: Callable[..., User],
                                           default_chains: list[Any]) -> None:
    owner = _owner(kind, make_user)
    posting = postings.create_posting(kind, _data(kind, default_chains[0].id), owner)
    assert posting.status == "draft" and posting.owner_id == owner.id
    postings.submit_posting(kind, posting.id, owner)
    assert posting.status == "pending" and posting.submitted_at is not None
    assert [p.id for p in review.review_queue(kind, staff)] == [posting.id]
    version = change_log.newest(db.session)
    review.publish_posting(kind, posting.id, staff)
    assert posting.status == "published" and posting.published_at is not None
    entered = change_log.newest(db.session)
    assert entered > version  # it entered the match index (a change-log row)
    postings.withdraw_posting(kind, posting.id, owner)
    assert posting.status == "withdrawn"
    assert change_log.newest(db.session) > entered  # and left it
    assert _trail(posting) == [
        ("create", None),
        ("submit", {"before": "draft", "after": "pending"}),
        ("publish", {"before": "pending", "after": "published"}),
        ("withdraw", {"before": "published", "after": "withdrawn"}),
    ]
    actors = db.session.scalars(select(AuditEntry.actor_id).where(AuditEntry.entity_type == kind,
                                                                  AuditEntry.entity_id == posting.id)
                                .order_by(AuditEntry.id)).all()
    assert actors == [owner.id, owner.id, staff.id, owner.id]


@pytest.mark.parametrize("kind", KINDS)
def test_rejected_with_a_reason_then_resubmitted(kind: str, staff: User, make_user: Callable[..., User],
                                                 default_chains: list[Any]) -> None:
    owner = _owner(kind, make_user)
    posting = postings.create_posting(kind, _data(kind, default_chains[0].id), owner, submit=True)
    assert posting.status == "pending"
    review.reject_posting(kind, posting.id, REASON, staff)
    assert posting.status == "rejected" and posting.reject_reason == REASON
    reject = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "reject")).one()
    assert reject.note == REASON and reject.actor_id == staff.id
    postings.submit_posting(kind, posting.id, owner)
    assert posting.status == "pending" and posting.reject_reason == ""
    review.publish_posting(kind, posting.id, staff)
    assert [a for a, _change in _trail(posting)] == ["create", "submit", "reject", "submit", "publish"]


@pytest.mark.parametrize("kind", KINDS)
def test_pending_can_be_withdrawn_and_withdrawn_resubmitted(kind: str, make_user: Callable[..., User],
                                                            default_chains: list[Any]) -> None:
    owner = _owner(kind, make_user)
    posting = postings.create_posting(kind, _data(kind, default_chains[0].id), owner, submit=True)
    postings.withdraw_posting(kind, posting.id, owner)
    assert posting.status == "withdrawn"
    postings.submit_posting(kind, posting.id, owner)
    assert posting.status == "pending"
    assert _trail(posting)[1:] == [("submit", {"before": "draft", "after": "pending"}),
                                   ("withdraw", {"before": "pending", "after": "withdrawn"}),
                                   ("submit", {"before": "withdrawn", "after": "pending"})]


def _move(action: str, kind: str, posting: Any, owner: User, staff: User) -> Any:
    return {"submit": lambda: postings.submit_posting(kind, posting.id, owner),
            "publish": lambda: review.publish_posting(kind, posting.id, staff),
            "reject": lambda: review.reject_posting(kind, posting.id, REASON, staff),
            "withdraw": lambda: postings.withdraw_posting(kind, posting.id, owner)}[action]()


REFUSED = [(action, status) for action in ("submit", "publish", "reject", "withdraw") for status in STATUSES
           if status not in TRANSITIONS[action]["from"]]


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_refused_moves_raise_conflict_and_change_nothing(action: str, status: str, staff: User,
                                                         make_user: Callable[..., User],
                                                         make_posting: Callable[..., Any]) -> None:
    owner = make_user("researcher")
    posting = make_posting("result", owner=owner, status=status)
    version = change_log.newest(db.session)
    with pytest.raises(Conflict) as caught:
        _move(action, "result", posting, owner, staff)
    assert caught.value.code == "bad_status"
    db.session.rollback()
    assert posting.status == status and _trail(posting) == []
    assert change_log.newest(db.session) == version


def test_every_allowed_move_is_covered() -> None:
    """The table above and the life cycle agree: what is not refused is exercised by the tests before it."""
    allowed = {(a, s) for a in ("submit", "publish", "reject", "withdraw") for s in TRANSITIONS[a]["from"]}
    assert allowed == {("submit", "draft"), ("submit", "rejected"), ("submit", "withdrawn"), ("publish", "pending"),
                       ("reject", "pending"), ("withdraw", "pending"), ("withdraw", "published")}
    assert len(REFUSED) == 4 * len(STATUSES) - len(allowed)


# ---- editing a published posting ---------------------------------------------------------------------------------
# H3b: this pins TODAY's behaviour (an owner's edit of a published posting sends it back to pending, off the public
# list). H3b is changing it so the published version stays visible while the edit is reviewed: adapt this test to
# the new rule (the transitions above do not involve editing and should not need to change).

@pytest.mark.parametrize("kind", KINDS)
def test_owner_edit_of_a_published_posting_current_behaviour(kind: str, staff: User, make_user: Callable[..., User],
                                                             default_chains: list[Any]) -> None:
    """An owner's edit of a published posting waits as a revision; the published text stays online."""
    owner = _owner(kind, make_user)
    data = _data(kind, default_chains[0].id)
    posting = postings.create_posting(kind, data, owner, submit=True)
    review.publish_posting(kind, posting.id, staff)
    postings.update_posting(kind, posting.id, {**data, "title": data["title"] + "（改进版）"}, owner)
    assert posting.status == "published" and not posting.title.endswith("（改进版）")
    assert posting.pending_changes and str(posting.pending_changes["title"]).endswith("（改进版）")
    postings.update_posting(kind, posting.id, {**data, "title": data["title"] + "（员工修订）"}, staff)
    assert posting.status == "published"  # a staff edit never moves the status
