"""Staff review: the queue, publishing and rejecting with a reason."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.models._base import utcnow
from matchmaker.models.posting import may_move
from matchmaker.services import audit, fields
from matchmaker.services.alerts import dispatch as alerts
from matchmaker.services.errors import Conflict, FieldErrors
from matchmaker.services.matching import change_log
from matchmaker.services.notify.notifications import notify
from matchmaker.services.permissions import require_staff
from matchmaker.services.postings import revisions
from matchmaker.services.postings.lifecycle import Posting, get_posting, model_for


def review_queue(kind: str, actor: User | None) -> list[Posting]:
    """Pending postings, oldest submission first."""
    require_staff(actor)
    model = model_for(kind)
    return list(db.session.scalars(select(model).where(model.status == "pending").order_by(model.submitted_at)))


def revision_queue(kind: str, actor: User | None) -> list[tuple[Posting, list[revisions.FieldChange]]]:
    """Published postings with an owner's revision waiting, each with its diff, oldest first."""
    require_staff(actor)
    return [(p, revisions.diff(p)) for p in revisions.revision_queue(kind)]


def publish_posting(kind: str, posting_id: int, actor: User | None) -> Posting:
    """Staff publish a pending posting (it enters the match index) or a published posting's waiting revision."""
    user = require_staff(actor)
    posting = get_posting(kind, posting_id, user)
    if posting.status == "published" and posting.pending_changes:
        revisions.apply(posting, user)
        db.session.commit()
        return posting
    if not may_move("publish", posting.status):
        raise Conflict(_l("只有待审核的内容可以发布。"), code="bad_status")
    audit.record(user, "publish", posting, {"status": {"before": "pending", "after": "published"}})
    posting.status, posting.published_at, posting.reject_reason = "published", utcnow(), ""
    change_log.posting_changed(posting)
    alerts.posting_published(posting)  # in this transaction: the alerts commit with the publication
    notify(posting.owner, "posting_reviewed", "posting_published", {"title": posting.title}, link=_link(kind, posting))
    db.session.commit()
    return posting


def reject_posting(kind: str, posting_id: int, reason: Any, actor: User | None) -> Posting:
    """Staff reject a pending posting, or a published posting's waiting revision, with a reason the owner sees."""
    user = require_staff(actor)
    posting = get_posting(kind, posting_id, user)
    revision = posting.status == "published" and bool(posting.pending_changes)
    if not revision and not may_move("reject", posting.status):
        raise Conflict(_l("只有待审核的内容可以退回。"), code="bad_status")
    errors = FieldErrors()
    reason = fields.text(errors, {"reason": reason}, "reason", required=True, min_len=2, max_len=1000)
    errors.raise_if_any()
    if revision:
        revisions.discard(posting, reason, user)
        db.session.commit()
        return posting
    audit.record(user, "reject", posting, {"status": {"before": "pending", "after": "rejected"}}, note=reason)
    posting.status, posting.reject_reason = "rejected", reason
    notify(posting.owner, "posting_reviewed", "posting_rejected", {"title": posting.title, "reason": reason},
           link=_link(kind, posting))
    db.session.commit()
    return posting


def _link(kind: str, posting: Posting) -> str:
    return f"/{'results' if kind == 'result' else 'needs'}/{posting.id}"
