"""Results and needs: create, edit, submit, withdraw, read and list with the owner/staff rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Need, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.models.posting import MODES, may_move
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.lookup import page_of
from matchmaker.services.matching import change_log, duplicates
from matchmaker.services.permissions import (
    PUBLIC_STATUSES,
    may_post,
    require_edit,
    require_standing,
    require_user,
    require_view,
    sees_contact,
)
from matchmaker.services.postings import revisions
from matchmaker.services.postings.rules import clean_posting

MODELS: dict[str, type[Result] | type[Need]] = {"result": Result, "need": Need}
Posting = Result | Need


def model_for(kind: str) -> type[Result] | type[Need]:
    if kind not in MODELS:
        raise NotFound(_l("找不到该记录。"))
    return MODELS[kind]


def create_posting(kind: str, data: dict[str, Any], actor: User | None, *, submit: bool = False) -> Posting:
    """A new draft owned by the actor (staff may name another owner's organization); optionally submitted."""
    user = may_post(actor, kind)
    clean, errors = clean_posting(kind, data, today=fields.today())
    org_id = _org_for_new(user, data, errors)
    errors.raise_if_any()
    posting = model_for(kind)(**clean, owner_id=user.id, org_id=org_id, status="draft")
    # The owner sees at once that this repeats an earlier posting. Compared before anything is written, so no
    # database write lock is held while it compares (the audit entry below writes the posting to get its id).
    duplicates.flag_duplicate(posting)
    db.session.add(posting)
    audit.record(user, "create", posting, {k: {"after": audit._plain(v)} for k, v in clean.items()})
    if submit:
        _submit(posting, user, compared=True)
    db.session.commit()
    return posting


def _org_for_new(user: User, data: dict[str, Any], errors: Any) -> int | None:
    if user.is_staff and data.get("org_id"):
        org = db.session.get(Organization, int(data["org_id"])) if str(data["org_id"]).isdigit() else None
        if org is None:
            errors.add("org_id", _l("找不到该单位。"))
            return None
        return org.id
    if user.org_id is None:
        errors.add("org_id", _l("账号尚未关联单位，请联系科技局。"))
    return user.org_id


def update_posting(kind: str, posting_id: int, data: dict[str, Any], actor: User | None) -> Posting:
    """The owner or staff edit. An owner's edit of a published posting becomes a pending revision: the published
    content stays public until staff publish the revision (see revisions.py); staff edits apply directly."""
    posting = get_posting(kind, posting_id, actor)
    user = require_edit(actor, posting)
    if posting.status == "transferred":
        raise Conflict(_l("已转化的成果不能再修改。"))
    clean, errors = clean_posting(kind, data, today=None)
    errors.raise_if_any()
    if revisions.needs_review(posting, user):
        revisions.propose(posting, clean, user)
        db.session.commit()
        return posting
    was_public = posting.status == "published"
    changes = audit.apply_changes(posting, clean)
    if changes and not user.is_staff and posting.status == "rejected":
        changes["status"] = {"before": posting.status, "after": "pending"}
        posting.status, posting.submitted_at = "pending", utcnow()
    if changes:
        audit.record(user, "update", posting, changes)
        if was_public:
            change_log.posting_changed(posting)
    db.session.commit()
    return posting


def _submit(posting: Posting, user: User, *, compared: bool = False) -> None:
    """Into the review queue, flagged when it nearly repeats another posting (`compared`: flagged already)."""
    audit.record(user, "submit", posting, {"status": {"before": posting.status, "after": "pending"}})
    posting.status, posting.submitted_at, posting.reject_reason = "pending", utcnow(), ""
    if not compared:
        duplicates.flag_duplicate(posting)


def submit_posting(kind: str, posting_id: int, actor: User | None) -> Posting:
    """Send a draft, rejected or withdrawn posting to the review queue."""
    posting = get_posting(kind, posting_id, actor)
    user = require_standing(require_edit(actor, posting))
    if not may_move("submit", posting.status):
        raise Conflict(_l("当前状态不能提交审核。"), code="bad_status")
    clean, errors = clean_posting(kind, _as_data(posting), today=None)
    errors.raise_if_any()
    _submit(posting, user)
    db.session.commit()
    return posting


def withdraw_posting(kind: str, posting_id: int, actor: User | None) -> Posting:
    """The owner or staff take a pending or published posting off the platform."""
    posting = get_posting(kind, posting_id, actor)
    user = require_edit(actor, posting)
    if not may_move("withdraw", posting.status):
        raise Conflict(_l("当前状态不能撤回。"), code="bad_status")
    was_public = posting.status == "published"
    audit.record(user, "withdraw", posting, {"status": {"before": posting.status, "after": "withdrawn"}})
    posting.status = "withdrawn"
    if was_public:
        change_log.posting_changed(posting)
    db.session.commit()
    return posting


def _as_data(posting: Posting) -> dict[str, Any]:
    return {c.key: getattr(posting, c.key) for c in posting.__table__.columns}


def get_posting(kind: str, posting_id: int, actor: User | None) -> Posting:
    """The posting if the actor may see it; NotFound otherwise."""
    posting = db.session.get(model_for(kind), posting_id)
    require_view(actor, posting)
    assert posting is not None
    return posting


@dataclass(frozen=True)
class Contact:
    """Contact details as this viewer may see them."""

    name: str
    phone: str
    email: str
    masked: bool


def contact_for(posting: Posting, actor: User | None) -> Contact:
    if sees_contact(actor, posting):
        return Contact(posting.contact_name, posting.contact_phone, posting.contact_email, False)
    return Contact(posting.contact_name, fields.mask_phone(posting.contact_phone),
                   fields.mask_email(posting.contact_email), True)


@dataclass(frozen=True)
class PostingFilter:
    """Browse filters; every field optional."""

    q: str = ""
    chain_id: int | None = None
    trl_min: int | None = None
    trl_max: int | None = None
    mode: str = ""
    org_id: int | None = None
    status: str = ""


def apply_filter(kind: str, stmt: Select[Any], flt: PostingFilter) -> Select[Any]:
    """The filter's conditions in SQL; its text (if any) as literal fragments, for lists the engine does not rank."""
    model = model_for(kind)
    for term in fields.split_list(flt.q.replace(" ", ","))[:8]:
        body = [model.summary, model.innovations] if kind == "result" else [model.problem, model.targets]
        # autoescape: % and _ typed by a person are literal characters, never LIKE wildcards
        stmt = stmt.where(or_(*(c.icontains(term, autoescape=True) for c in [model.title, *body])))
    if flt.chain_id:
        stmt = stmt.where(model.chain_id == flt.chain_id)
    trl = model.trl if kind == "result" else model.trl_min
    if flt.trl_min:
        stmt = stmt.where(trl >= flt.trl_min)
    if flt.trl_max:
        stmt = stmt.where(trl <= flt.trl_max)
    if flt.org_id:
        stmt = stmt.where(model.org_id == flt.org_id)
    if flt.mode:
        # modes is a JSON list of known codes: its text holds '"license"' exactly when the list does
        quoted = f'"{flt.mode}"' if flt.mode in MODES else None
        stmt = stmt.where(func.cast(model.modes, db.String).contains(quoted, autoescape=True) if quoted
                          else false())
    return stmt


def newest_first(model: Any) -> tuple[Any, ...]:
    """The date order of posting lists: newest publication first, then newest id."""
    return model.published_at.desc().nulls_last(), model.id.desc()


def list_public(kind: str, flt: PostingFilter, *, page: int = 1, per_page: int = 20) -> tuple[list[Posting], int]:
    """Published postings matching the filter, newest first (one page, counted in SQL)."""
    model = model_for(kind)
    stmt = apply_filter(kind, select(model.id).where(model.status.in_(PUBLIC_STATUSES)), flt)
    return _page_by_id(model, stmt.order_by(*newest_first(model)), page, per_page)


def _page_by_id(model: Any, ids: Select[Any], page: int, per_page: int) -> tuple[list[Posting], int]:
    """A page of an ordered id query, then only those rows: the database sorts narrow id rows, not whole
    postings with their long texts (which made the unfiltered list slower than a search at 10k postings)."""
    page_ids, total = page_of(ids, page, per_page)
    return load_in_order(model, page_ids), total


def load_in_order(model: Any, ids: list[int]) -> list[Posting]:
    """The postings with these ids (organization and chain loaded too), in the order of the ids."""
    if not ids:
        return []
    stmt = select(model).options(selectinload(model.org), selectinload(model.chain)).where(model.id.in_(ids))
    by_id = {p.id: p for p in db.session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def list_mine(kind: str, actor: User | None, *, page: int = 1, per_page: int = 20) -> tuple[list[Posting], int]:
    """Everything the actor owns, any status, last changed first (one page)."""
    user = require_user(actor)
    model = model_for(kind)
    stmt = select(model.id).where(model.owner_id == user.id).order_by(model.updated_at.desc(), model.id.desc())
    return _page_by_id(model, stmt, page, per_page)


def list_for_staff(kind: str, flt: PostingFilter, actor: User | None, *, page: int = 1, per_page: int = 20
                   ) -> tuple[list[Posting], int]:
    """Staff browse every posting, optionally of one status."""
    from matchmaker.services.permissions import require_staff

    require_staff(actor)
    model = model_for(kind)
    stmt = select(model.id)
    if flt.status:
        stmt = stmt.where(model.status == flt.status)
    return _page_by_id(model, apply_filter(kind, stmt, flt).order_by(*newest_first(model)), page, per_page)

