"""Pending revisions: an owner's edit of a published posting waits for review while the old content stays public.

The edit is cleaned with the posting rules and its changed fields are stored as plain JSON values in
`pending_changes`; nothing visible changes (public page, search, match index, dashboard). Staff publish the
revision (the changes are applied, one audit entry, the index follows) or reject it with a reason the owner sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker import labels
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit
from matchmaker.services.matching import change_log
from matchmaker.services.permissions import is_staff, owns
from matchmaker.services.postings.rules import clean_posting

Posting = Result | Need

FIELD_LABELS: dict[str, Any] = {
    "title": _l("标题"), "chain_id": _l("所属产业链"), "keywords": _l("关键词"), "modes": _l("合作方式"),
    "contact_name": _l("联系人"), "contact_phone": _l("联系电话"), "contact_email": _l("电子邮箱"),
    "summary": _l("成果简介"), "innovations": _l("创新点"), "indicators": _l("技术指标"),
    "trl": _l("技术成熟度（TRL）"), "stage": _l("成熟阶段"), "ip_type": _l("知识产权类型"),
    "patent_numbers": _l("专利号"), "price_wan": _l("转让价格（万元）"), "expires_on": _l("有效期至"),
    "problem": _l("需求描述"), "targets": _l("目标指标"), "need_type": _l("需求类型"), "budget_wan": _l("预算（万元）"),
    "deadline": _l("截止日期"), "trl_min": _l("要求的最低成熟度（TRL）"),
}
CODED = {"modes": "mode", "stage": "stage", "ip_type": "ip_type", "need_type": "need_type"}


def needs_review(posting: Posting, actor: User | None) -> bool:
    """True when this actor's edit of the posting becomes a pending revision (an owner editing a published one)."""
    return posting.status == "published" and not (actor is not None and actor.is_staff)


def propose(posting: Posting, clean: dict[str, Any], user: User) -> dict[str, dict[str, Any]]:
    """Store the changed fields of `clean` as the posting's pending revision (replacing an earlier one); the
    caller commits. Returns the changes; none means the edit equals the published content and nothing waits."""
    changes = {k: {"before": audit._plain(getattr(posting, k)), "after": audit._plain(v)} for k, v in clean.items()
               if audit._plain(getattr(posting, k)) != audit._plain(v)}
    if not changes and not posting.pending_changes:
        return {}
    posting.pending_changes = {k: c["after"] for k, c in changes.items()} or None
    posting.revision_submitted_at = utcnow() if changes else None
    audit.record(user, "submit_revision" if changes else "cancel_revision", posting, changes)
    return changes


def revision_queue(kind: str) -> list[Posting]:
    """Published postings of `kind` with a revision waiting, oldest first (the caller checks staff)."""
    model: type[Result] | type[Need] = Result if kind == "result" else Need
    return list(db.session.scalars(select(model).where(model.status == "published",
                                                       model.pending_changes.is_not(None))
                                   .order_by(model.revision_submitted_at)))


def apply(posting: Posting, user: User) -> dict[str, dict[str, Any]]:
    """Publish the pending revision: apply it (cleaned again, the rules may have moved), one audit entry, index."""
    data = {c.key: getattr(posting, c.key) for c in posting.__table__.columns}
    data.update(posting.pending_changes or {})
    clean, errors = clean_posting(posting.kind, data, today=None)
    errors.raise_if_any()
    changes = audit.apply_changes(posting, clean)
    posting.pending_changes, posting.revision_submitted_at, posting.reject_reason = None, None, ""
    audit.record(user, "publish_revision", posting, changes)
    change_log.posting_changed(posting)
    return changes


def discard(posting: Posting, reason: str, user: User) -> None:
    """Reject the pending revision: the published content stays, the owner sees the reason."""
    audit.record(user, "reject_revision", posting, {"pending_changes": {"before": posting.pending_changes,
                                                                        "after": None}}, note=reason)
    posting.pending_changes, posting.revision_submitted_at, posting.reject_reason = None, None, reason


@dataclass(frozen=True)
class FieldChange:
    """One line of a revision's diff, as people read it."""

    field: str
    label: str
    before: str
    after: str


def diff(posting: Posting) -> list[FieldChange]:
    """The pending revision against the published content, field by field."""
    out = []
    for name, after in (posting.pending_changes or {}).items():
        before = audit._plain(getattr(posting, name, None))
        out.append(FieldChange(name, str(FIELD_LABELS.get(name, name)), _show(name, before), _show(name, after)))
    return out


def edit_values(posting: Posting) -> dict[str, Any]:
    """What the owner's edit form starts from: the published content with the waiting revision on top."""
    return dict(posting.pending_changes or {})


def _show(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "chain_id":
        chain = db.session.get(Chain, int(value))
        return chain.name if chain else str(value)
    if name in CODED:
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.label(CODED[name], v) for v in values)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class RevisionState:
    """What the owner (or staff) reads on a published posting's page about the owner's latest edit."""

    waiting: bool
    changes: tuple[FieldChange, ...]
    rejected_reason: str


def revision_state(posting: Posting, actor: User | None) -> RevisionState | None:
    """The revision waiting or last refused, for those who may edit the posting; None for everyone else."""
    if posting.status != "published" or not (owns(actor, posting) or is_staff(actor)):
        return None
    if posting.pending_changes:
        return RevisionState(True, tuple(diff(posting)), "")
    return RevisionState(False, (), posting.reject_reason) if posting.reject_reason else None
