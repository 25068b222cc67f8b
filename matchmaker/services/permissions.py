"""Who may do what: the one place pages and API ask.

Two kinds of answer live here. The `require_*` functions guard a use case and raise a domain error. The
`actions_for(actor, record)` / `site_actions(actor)` sets name what the actor may do, so that templates show a
button only when its action is in the set and never compare roles, owners or statuses themselves. Both are built
from the same predicates below (`may_edit`, `event_editable`, ...), so a button shown is a request allowed; the
services still raise their own errors (with their own messages and codes) when a request arrives anyway.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Chain,
    ContactRequest,
    Event,
    Intent,
    Invitation,
    Meeting,
    MeetingRequest,
    Need,
    Organization,
    OutgoingMail,
    Result,
    User,
)
from matchmaker.models.event import EVENT_TRANSITIONS
from matchmaker.models.intent import INTENT_TRANSITIONS
from matchmaker.models.posting import PUBLIC_STATUSES, may_move
from matchmaker.services import fields
from matchmaker.services.errors import NotFound, PermissionDenied


def is_staff(actor: User | None) -> bool:
    return actor is not None and actor.is_active and actor.is_staff


def require_user(actor: User | None) -> User:
    """An active, signed-in account."""
    if actor is None or not actor.is_active:
        raise PermissionDenied(_l("请先登录。"), code="login_required")
    return actor


def require_staff(actor: User | None) -> User:
    """Bureau staff or an administrator."""
    user = require_user(actor)
    if not user.is_staff:
        raise PermissionDenied(_l("只有科技局工作人员可以执行此操作。"))
    return user


def require_admin(actor: User | None) -> User:
    user = require_user(actor)
    if not is_admin(user):
        raise PermissionDenied(_l("只有管理员可以执行此操作。"))
    return user


def is_admin(actor: User | None) -> bool:
    return actor is not None and actor.is_active and actor.role == "admin"


def owns(actor: User | None, posting: Any) -> bool:
    return actor is not None and actor.is_active and posting.owner_id == actor.id


def may_edit(actor: User | None, posting: Any) -> bool:
    """The owner or staff (whether the posting's status allows the change is the caller's question)."""
    return owns(actor, posting) or is_staff(actor)


def can_view(actor: User | None, posting: Any) -> bool:
    """Public postings for everyone; others for their owner and staff."""
    return posting.status in PUBLIC_STATUSES or owns(actor, posting) or is_staff(actor)


def require_view(actor: User | None, posting: Any) -> None:
    # Not-found rather than forbidden, so drafts' existence does not leak.
    if posting is None or not can_view(actor, posting):
        raise NotFound(_l("找不到该记录。"))


def require_edit(actor: User | None, posting: Any) -> User:
    """The owner or staff."""
    require_view(actor, posting)
    user = require_user(actor)
    if not may_edit(user, posting):
        raise PermissionDenied(_l("只能修改自己发布的内容。"))
    return user


def sees_contact(actor: User | None, posting: Any) -> bool:
    """Contact details are for the owner, staff and the other party of a revealed 我要对接 request."""
    return owns(actor, posting) or is_staff(actor) or revealed_to(actor, posting)


def revealed_to(actor: User | None, posting: Any) -> bool:
    """True when a request the actor is party to was accepted and names this posting (target or linked own)."""
    if actor is None or not actor.is_active or posting is None or getattr(posting, "id", None) is None:
        return False
    kind = posting.__tablename__
    target_col = ContactRequest.result_id if kind == "result" else ContactRequest.need_id
    as_requester = select(ContactRequest.id).where(
        ContactRequest.status == "revealed", ContactRequest.requester_id == actor.id,
        ContactRequest.target_kind == kind, target_col == posting.id)
    as_owner = select(ContactRequest.id).where(
        ContactRequest.status == "revealed", ContactRequest.owner_id == actor.id,
        ContactRequest.target_kind != kind, ContactRequest.own_posting_id == posting.id)
    return db.session.scalar(as_requester.union(as_owner).limit(1)) is not None


def standing_problem(actor: User) -> Any | None:
    """Why this account may not act in its organization's name yet, or None (staff always may)."""
    if actor.is_staff:
        return None
    org = actor.org
    if org is None:
        return _l("账号尚未关联单位，请联系科技局。")
    if org.status != "verified":
        return _l("您的单位“%(name)s”尚未通过科技局认证，认证通过后才能发布内容或申请对接。", name=org.name)
    membership = getattr(actor, "membership", None)
    if membership is None or membership.org_id != org.id or membership.status != "active":
        return _l("您加入“%(name)s”的申请尚未获批准，获批后才能以该单位名义发布内容或申请对接。", name=org.name)
    return None


def require_standing(actor: User | None) -> User:
    """An active account that is a confirmed member of a verified organization (or staff)."""
    user = require_user(actor)
    why = standing_problem(user)
    if why is not None:
        raise PermissionDenied(why, code="org_not_verified")
    return user


POSTER_ROLES = {"result": ("researcher",), "need": ("company",)}
"""Who posts which kind (staff post either)."""


def posts_kind(actor: User | None, kind: str) -> bool:
    """The account's role posts this kind (standing aside): what 我的成果 / 我的需求 list."""
    return actor is not None and actor.is_active and (actor.role in POSTER_ROLES[kind] or actor.is_staff)


def may_post(actor: User | None, kind: str) -> User:
    """Researchers post results, companies post needs, staff may post either; members of verified orgs only."""
    user = require_user(actor)
    if not posts_kind(user, kind):
        raise PermissionDenied(
            _l("只有高校和科研院所的账号可以发布科技成果。") if kind == "result"
            else _l("只有企业账号可以发布技术需求。")
        )
    return require_standing(user)


def require_verified_email(actor: User | None) -> User:
    """An active account whose e-mail address is verified (needed to send contact requests)."""
    user = require_user(actor)
    if not user.email_verified:
        raise PermissionDenied(_l("请先验证您的电子邮箱（见注册时收到的邮件），然后再发起对接申请。"),
                               code="email_unverified")
    return user


def manages(actor: User | None, org_id: int) -> bool:
    """An active manager membership of this organization."""
    membership = getattr(actor, "membership", None) if actor is not None else None
    return (membership is not None and membership.org_id == org_id and membership.role == "manager"
            and membership.status == "active" and bool(actor and actor.is_active))


def event_editable(event: Event) -> bool:
    """A cancelled event's lists, invitations and outcomes are frozen."""
    return event.status != "cancelled"


def agenda_open(event: Event) -> bool:
    """Only a planned event's agenda may be built or changed."""
    return event.status == "planned"


def requests_open(event: Event, now: datetime) -> bool:
    """约见 may be asked and answered while the event is planned and has not started (``now``: local time)."""
    return event.status == "planned" and event.starts_at > now.replace(tzinfo=None)


def meeting_request_answerable(req: MeetingRequest, now: datetime) -> bool:
    return req.status == "requested" and requests_open(req.event, now)


def meeting_request_withdrawable(req: MeetingRequest, now: datetime) -> bool:
    return req.status in ("requested", "accepted") and requests_open(req.event, now)


def outcome_recordable(meeting: Meeting, now: datetime) -> bool:
    """A meeting's outcome is recorded once the event has begun (or is marked held), never for a cancelled one."""
    event = meeting.event
    return event.status == "held" or (event.status == "planned" and event.starts_at <= now.replace(tzinfo=None))


def member_of(actor: User | None, org_id: int) -> bool:
    """A confirmed member of this (verified) organization, acting in its name."""
    return (actor is not None and actor.is_active and not actor.is_staff and actor.org_id == org_id
            and standing_problem(actor) is None)


def invitation_removable(invitation: Invitation) -> bool:
    """An organization that attended, or has meetings on the agenda, stays on the list."""
    if invitation.status == "attended":
        return False
    meeting = select(Meeting.id).where(Meeting.event_id == invitation.event_id,
                                       Meeting.company_id == invitation.org_id).limit(1)
    return db.session.scalar(meeting) is None


def mail_retryable(mail: OutgoingMail) -> bool:
    return mail.status != "sent"


def intent_transfers(intent: Intent) -> bool:
    """A contract may be recorded against an intent under negotiation or signed."""
    return intent.status in ("negotiating", "signed")


# ---- actions as data -------------------------------------------------------------------------------------------

def _posting_actions(actor: User | None, posting: Any) -> set[str]:
    if not can_view(actor, posting):
        return set()
    out = {"see_contact"} if sees_contact(actor, posting) else set()
    if may_edit(actor, posting):
        out |= {"see_duplicate", "judge_suggestions"}
        if posting.status != "transferred":
            out.add("edit")
        assert actor is not None
        if may_move("submit", posting.status) and standing_problem(actor) is None:
            out.add("submit")
        if may_move("withdraw", posting.status):
            out.add("withdraw")
    if is_staff(actor) and may_move("publish", posting.status):
        out.add("review")  # publish or reject
    return out


def _event_actions(actor: User | None, event: Event) -> set[str]:
    if not is_staff(actor):
        return set()
    out = {"view", "export_agenda"}
    if event_editable(event):
        out |= {"edit", "plan", "remove_result", "set_invitation_status", "checkin", "record_outcome"}
    if agenda_open(event):
        out |= {"build_agenda", "move_meeting", "remove_meeting"}
    targets = EVENT_TRANSITIONS.get(event.status, ())
    out |= {name for name, status in (("mark_held", "held"), ("cancel", "cancelled")) if status in targets}
    return out


STAFF_SET_STATUSES = ("invited", "registered", "attended")
"""What staff may set an invitation row to by hand; the other statuses come from the registration flow."""


def _invitation_actions(actor: User | None, invitation: Invitation) -> set[str]:
    if not (is_staff(actor) and event_editable(invitation.event)):
        return set()
    out: set[str] = set()
    if invitation.status in STAFF_SET_STATUSES:
        out |= {"set_status", "undo_check_in" if invitation.status == "attended" else "check_in"}
    if invitation.status == "pending":
        out |= {"approve", "decline"}
    elif invitation.status in ("waitlisted", "registered") and invitation.event.status == "planned":
        out.add("decline")
    if invitation_removable(invitation):
        out.add("remove")
    return out


def _intent_actions(actor: User | None, intent: Intent) -> set[str]:
    if not is_staff(actor):
        return set()
    out = {"edit", "add_note"}
    if INTENT_TRANSITIONS.get(intent.status):
        out.add("set_status")
    if intent_transfers(intent):
        out.add("record_transfer")
    return out


def _meeting_request_actions(actor: User | None, req: MeetingRequest) -> set[str]:
    now = fields.now()
    out: set[str] = set()
    if member_of(actor, req.to_org_id) and meeting_request_answerable(req, now):
        out |= {"accept", "decline"}
    if member_of(actor, req.from_org_id) and meeting_request_withdrawable(req, now):
        out.add("withdraw")
    return out


def _meeting_actions(actor: User | None, meeting: Meeting) -> set[str]:
    sides = (meeting.result.org_id, meeting.company_id)
    if any(member_of(actor, org_id) for org_id in sides) and outcome_recordable(meeting, fields.now()):
        return {"record_outcome"}
    return set()


def _org_actions(actor: User | None, org: Organization) -> set[str]:
    if is_staff(actor):
        return {"edit", "edit_profile", "see_members", "see_private", "set_locality"}
    return {"edit_profile", "see_members"} if manages(actor, org.id) else set()


def _chain_actions(actor: User | None, chain: Chain) -> set[str]:
    return {"edit"} if is_staff(actor) else set()


def _mail_actions(actor: User | None, mail: OutgoingMail) -> set[str]:
    return {"retry"} if is_admin(actor) and mail_retryable(mail) else set()


ACTIONS: dict[type, Callable[[User | None, Any], set[str]]] = {
    Result: _posting_actions, Need: _posting_actions, Event: _event_actions, Invitation: _invitation_actions,
    Intent: _intent_actions, Organization: _org_actions, MeetingRequest: _meeting_request_actions,
    Meeting: _meeting_actions, Chain: _chain_actions, OutgoingMail: _mail_actions,
}
"""Record type -> what an actor may do to one record of it."""


def actions_for(actor: User | None, record: Any) -> frozenset[str]:
    """The names of the actions this actor may take on this record (empty for a record it may not touch)."""
    if actor is not None and not actor.is_active:
        actor = None  # a disabled account counts as signed out everywhere
    rule = ACTIONS.get(type(record))
    if rule is None:
        raise TypeError(f"no action rules for {type(record).__name__}")
    return frozenset(rule(actor, record))


def site_actions(actor: User | None) -> frozenset[str]:
    """Page-wide actions (navigation entries, 'new' buttons) of this actor."""
    if actor is None or not actor.is_active:
        return frozenset()
    out = {"notifications", "my_contacts"}
    for kind in ("result", "need"):
        if posts_kind(actor, kind):
            out.add(f"my_{kind}s")
            if standing_problem(actor) is None:
                out.add(f"post_{kind}")
    if getattr(actor, "membership", None) is not None and actor.membership.status == "active":
        out.add("my_events")
    if actor.is_staff:
        out |= {"staff_menu", "audit_log", "create_org"}
    if is_admin(actor):
        out.add("admin_menu")
    return frozenset(out)
