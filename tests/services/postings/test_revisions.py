"""Issue 7, defect 6: an owner's edit of a published posting waits as a revision; the published one stays online."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, Result, User
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import review, revisions
from matchmaker.services.postings.lifecycle import PostingFilter
from tests.conftest import result_data

NEW_TITLE = "耐高温全氟醚橡胶密封圈"


@pytest.fixture
def published(make_posting: Callable[..., Any], make_user: Callable[..., User]) -> Result:
    return make_posting("result", owner=make_user("researcher"), status="published")


def _edit(posting: Result, actor: User, **changes: Any) -> Result:
    data = result_data(posting.chain_id or 0, **changes)
    return postings.update_posting("result", posting.id, data, actor)  # type: ignore[return-value]


def _public_titles(q: str) -> list[str]:
    rows, _total = postings.list_public("result", PostingFilter(q=q))
    return [r.title for r in rows]


def test_owner_edit_keeps_the_published_version_online(published: Result) -> None:
    published_at = published.published_at
    _edit(published, published.owner, title=NEW_TITLE, trl=8)
    db.session.expire_all()
    row = db.session.get(Result, published.id)
    assert row is not None and row.status == "published" and row.published_at == published_at
    assert row.title == "耐高温氟橡胶密封材料" and row.trl == 6  # the public content is the old one
    assert row.pending_changes == {"title": NEW_TITLE, "trl": 8}
    assert _public_titles("氟橡胶") == ["耐高温氟橡胶密封材料"] and _public_titles("全氟醚") == []
    hits = matching.free_text("耐高温氟橡胶密封材料", "result", min_score=0.0)
    assert [p.id for p, _hit in hits] == [published.id]  # still in the match index, with its old text
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == published.id,
                                                                          AuditEntry.entity_type == "result")))
    assert actions == ["submit_revision"]


def test_the_queue_shows_the_revision_with_a_diff(published: Result, make_user: Callable[..., User]) -> None:
    _edit(published, published.owner, title=NEW_TITLE)
    queue = review.revision_queue("result", make_user("staff"))
    assert [(p.id, [(c.field, c.before, c.after) for c in diff]) for p, diff in queue] == [
        (published.id, [("title", "耐高温氟橡胶密封材料", NEW_TITLE)])]
    assert review.review_queue("result", make_user("staff")) == []  # not a new posting to publish


def test_publish_applies_the_revision_with_one_audit_entry(published: Result, make_user: Callable[..., User]
                                                           ) -> None:
    _edit(published, published.owner, title=NEW_TITLE)
    review.publish_posting("result", published.id, make_user("staff"))
    db.session.expire_all()
    row = db.session.get(Result, published.id)
    assert row is not None and row.title == NEW_TITLE and row.status == "published" and row.pending_changes is None
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == published.id,
                                                               AuditEntry.action == "publish_revision")))
    assert len(entries) == 1 and entries[0].changes == {"title": {"before": "耐高温氟橡胶密封材料", "after": NEW_TITLE}}
    assert _public_titles("全氟醚") == [NEW_TITLE]
    assert [p.id for p, _h in matching.free_text(NEW_TITLE, "result", min_score=0.0)] == [published.id]


def test_reject_discards_the_revision_with_a_reason_the_owner_sees(published: Result,
                                                                    make_user: Callable[..., User]) -> None:
    _edit(published, published.owner, title=NEW_TITLE)
    review.reject_posting("result", published.id, "新标题与内容不符。", make_user("staff"))
    db.session.expire_all()
    row = db.session.get(Result, published.id)
    assert row is not None and row.title == "耐高温氟橡胶密封材料" and row.pending_changes is None
    assert row.status == "published"
    state = revisions.revision_state(row, row.owner)
    assert state is not None and not state.waiting and state.rejected_reason == "新标题与内容不符。"
    assert revisions.revision_state(row, None) is None  # the public sees nothing of it


def test_staff_edits_apply_directly(published: Result, make_user: Callable[..., User]) -> None:
    _edit(published, make_user("staff"), title=NEW_TITLE)
    db.session.expire_all()
    row = db.session.get(Result, published.id)
    assert row is not None and row.title == NEW_TITLE and row.pending_changes is None and row.status == "published"


def test_a_second_edit_replaces_the_waiting_revision(published: Result, default_chains: list[Chain]) -> None:
    _edit(published, published.owner, title=NEW_TITLE)
    _edit(published, published.owner, trl=7)
    db.session.expire_all()
    row = db.session.get(Result, published.id)
    assert row is not None and row.pending_changes == {"trl": 7}
