"""Who may reach each page: the table that tests/web/test_access_matrix.py checks against `app.url_map`.

HOW TO ADD A RULE (a new endpoint without one fails `test_every_endpoint_has_a_rule`, on purpose):

1. Add `"<blueprint>.<view>": <RULE>` to `RULES` below, with one of
   PUBLIC (everyone, signed in or not), LOGIN (any active account), STAFF (staff and admin), ADMIN (admin only),
   POSTER_RESULT (researchers and staff), POSTER_NEED (companies and staff), or a `Rule(...)` of your own for an
   endpoint that names a posting (OWNER_OR_STAFF and friends: see `Rule.posting` and `Rule.statuses`).
2. POST bodies: `form=` a dict or a function of the World (below) returning one.
3. If the URL has path parameters other than the ones `World.values` fills (posting_id, kind, org_id, chain_id,
   user_id, token_id, code), pass `values=lambda w: {...}`: `w` is a tests/web/support.World (w.actor, w.owner,
   w.posting, w.org, w.chain, w.make_user, w.make_org, w.make_posting, w.add(model) which inserts and returns a row).
4. POST requests are sent with an empty form unless `form=` gives one (CSRF is off in the matrix; see test_csrf.py).
   An allowed request must answer 200 or a redirect that is not to the login page, so choose a form (or a
   posting status) with which the allowed action succeeds or shows its form again.

Expected answers: allowed -> 200/302 (never to /auth/login); denied and signed out -> 302 to /auth/login; denied
and signed in -> 403, or 404 when the URL names a posting the actor may not see (someone else's draft: drafts
must not leak). A disabled account counts as signed out.

JSON API endpoints (blueprint name starting with "api" or path under /api/) need no entry: tests/api covers their
permissions; the matrix only checks that an anonymous write gets 401 or 405 and that nothing answers 500.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PUBLIC_STATUSES = ("published", "transferred")


@dataclass(frozen=True)
class Rule:
    """Who is allowed, and (for posting URLs) which posting to aim at."""

    who: str
    """public | login | staff | admin | owner_or_staff | owner | poster_result | poster_need"""
    posting: str | None = None
    """'result' or 'need' when the URL names a posting; the matrix then tries owner and non-owner."""
    statuses: tuple[str, ...] = ("draft", "published")
    """Posting statuses to try (pick ones where the allowed action succeeds)."""
    form: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)
    """Body of POST requests (or a function of the World returning it)."""
    values: Callable[[Any], dict[str, Any]] | None = None
    """Extra URL values built from the test's World."""
    denied: int = 403
    """What a signed-in actor who may not is answered: 404 where the record must not leak (someone else's request)."""


def _own_job(w: Any) -> str:
    """A finished-with-failure job of the actor's own (someone else's job is a 404: tests/ops/test_jobs.py)."""
    import secrets

    from matchmaker.models import Job

    owner = w.actor or w.make_user("researcher")
    job = w.add(Job(id=secrets.token_hex(16), kind="import_check", owner_id=owner.id, status="failed", params={}))
    return str(job.id)


PUBLIC = Rule("public")
LOGIN = Rule("login")
STAFF = Rule("staff")
ADMIN = Rule("admin")
POSTER_RESULT = Rule("poster_result")
POSTER_NEED = Rule("poster_need")
API = Rule("api")


def _posting_rules(name: str, kind: str) -> dict[str, Rule]:
    return {
        f"{name}.index": PUBLIC,
        f"{name}.detail": Rule("public", posting=kind, statuses=("draft", "pending", "published")),
        f"{name}.mine": LOGIN,
        f"{name}.create": POSTER_RESULT if kind == "result" else POSTER_NEED,
        f"{name}.edit": Rule("owner_or_staff", posting=kind, statuses=("draft", "published")),
        f"{name}.submit": Rule("owner_or_staff", posting=kind, statuses=("draft", "rejected")),
        f"{name}.withdraw": Rule("owner_or_staff", posting=kind, statuses=("pending", "published")),
    }


def _event_values(w: Any) -> dict[str, Any]:
    """A planned event presenting a result, with the World's organization invited."""
    from datetime import datetime

    from matchmaker.models import Event, EventResult, Invitation

    result = w.make_posting("result")
    event = w.add(Event(name="测试对接会", type="matchmaking", starts_at=datetime(2025, 5, 1, 9),
                        chain_ids=[w.chain.id], presentations=[EventResult(result_id=result.id)],
                        invitations=[Invitation(org_id=w.org.id)]))
    return {"event_id": event.id, "result_id": result.id}


def _public_event_values(w: Any, status: str | None = None) -> dict[str, Any]:
    """A public planned event next month; with `status`, the actor's organization (the World's when signed out)
    has a row of that status on it."""
    from datetime import datetime, timedelta

    from matchmaker.models import Event, Invitation

    event = w.add(Event(name="公开对接会", type="matchmaking", starts_at=datetime.now() + timedelta(days=30),
                        chain_ids=[w.chain.id], is_public=True))
    values: dict[str, Any] = {"event_id": event.id}
    if status is not None:
        org_id = (w.actor.org_id if w.actor is not None and w.actor.org_id else w.org.id)
        row = w.add(Invitation(event_id=event.id, org_id=org_id, status=status))
        values["registration_id"] = row.id
    return values


def _answer_values(w: Any) -> dict[str, Any]:
    """A valid signed invitation-answer link (no sign-in needed)."""
    from matchmaker.extensions import db
    from matchmaker.models import Invitation
    from matchmaker.services.events.registrations import answer_token

    ids = _public_event_values(w, "invited")
    return {"token": answer_token(db.session.get(Invitation, ids["registration_id"]))}


def _pending_registration_values(w: Any) -> dict[str, Any]:
    return {"registration_id": _public_event_values(w, "pending")["registration_id"]}


def _meeting_values(w: Any) -> dict[str, Any]:
    from matchmaker.models import Meeting

    ids = _event_values(w)
    meeting = w.add(Meeting(event_id=ids["event_id"], result_id=ids["result_id"], company_id=w.org.id, slot=0,
                            table_no=1))
    return {"meeting_id": meeting.id}


def _meet_event_values(w: Any) -> dict[str, Any]:
    """A public planned event (two years ahead) presenting a result, with the World's organization registered."""
    from datetime import datetime

    from matchmaker.models import Event, EventResult, Invitation

    result = w.make_posting("result")
    event = w.add(Event(name="公开对接会", type="matchmaking", starts_at=datetime(2031, 5, 1, 9), is_public=True,
                        chain_ids=[w.chain.id], presentations=[EventResult(result_id=result.id)],
                        invitations=[Invitation(org_id=w.org.id, status="registered")]))
    return {"event_id": event.id, "result_id": result.id}


def _meeting_request_values(w: Any) -> dict[str, Any]:
    """A request between the World's organization and a presented result's owner: not the actor's business."""
    from matchmaker.extensions import db
    from matchmaker.models import MeetingRequest, Result

    ids = _meet_event_values(w)
    user = w.make_user("company", org=w.org)
    result = db.session.get(Result, ids["result_id"])
    req = w.add(MeetingRequest(event_id=ids["event_id"], from_org_id=w.org.id, from_user_id=user.id,
                               to_org_id=result.org_id, target_kind="result", result_id=result.id, message="见面谈谈"))
    return {"request_id": req.id, "action": "accept"}


def _participant_meeting_values(w: Any) -> dict[str, Any]:
    from matchmaker.models import Meeting

    ids = _meet_event_values(w)
    meeting = w.add(Meeting(event_id=ids["event_id"], result_id=ids["result_id"], company_id=w.org.id, slot=0,
                            table_no=1))
    return {"meeting_id": meeting.id}


def _deal_values(w: Any) -> dict[str, Any]:
    from datetime import date

    from matchmaker.models import Intent, Transfer

    result = w.make_posting("result")
    intent = w.add(Intent(result_id=result.id, company_id=w.org.id, logged_on=date(2025, 1, 1),
                          last_activity_on=date(2025, 1, 1)))
    transfer = w.add(Transfer(result_id=result.id, buyer_id=w.org.id, contract_number=f"HT-{intent.id}",
                              contract_type="license", signed_on=date(2025, 2, 1)))
    return {"intent_id": intent.id, "transfer_id": transfer.id}


def _contact_values(w: Any) -> dict[str, Any]:
    """A submitted 我要对接 request between two other organizations: only staff may see or act on it."""
    from matchmaker.models import ContactRequest

    result = w.make_posting("result")
    company = w.make_user("company")
    req = w.add(ContactRequest(requester_id=company.id, requester_org_id=company.org_id, target_kind="result",
                               result_id=result.id, owner_id=result.owner_id, owner_org_id=result.org_id,
                               message="希望就该成果开展许可合作。", mode="license", status="submitted"))
    return {"request_id": req.id, "action": "approve"}


def _note_values(w: Any) -> dict[str, Any]:
    """A notification of the actor's own (of the World's target user when signed out)."""
    from matchmaker.models import Notification

    note = w.add(Notification(recipient_id=(w.actor or w.target).id, kind="contact_received",
                              subject="contact_received", params={"org": "甲", "title": "乙"}, link="/contacts/"))
    return {"note_id": note.id}


def _subscription_values(w: Any) -> dict[str, Any]:
    """A saved search of the actor's own (of the World's target user when signed out)."""
    from matchmaker.models import Subscription

    sub = w.add(Subscription(user_id=(w.actor or w.target).id, kind="search", target_kind="need", q="氟橡胶",
                             filters={}, posting_kind="", min_score=0, active=True))
    return {"subscription_id": sub.id}


def _unsubscribe_values(w: Any) -> dict[str, Any]:
    """A valid one-click unsubscribe token for someone's subscription (no sign-in needed)."""
    from matchmaker.services.alerts.mails import unsubscribe_token

    ids = _subscription_values(w)
    from matchmaker.extensions import db
    from matchmaker.models import Subscription

    return {"token": unsubscribe_token(db.session.get(Subscription, ids["subscription_id"]))}


def _pending_org_values(w: Any) -> dict[str, Any]:
    return {"org_id": w.make_org(status="pending").id, "decision": "verify"}


def _join_values(w: Any) -> dict[str, Any]:
    """A pending join request to an organization the actor does not manage."""
    user = w.make_user("company", membership="pending")
    return {"membership_id": user.membership.id, "decision": "approve"}


def _link_values(purpose: str) -> Callable[[Any], dict[str, Any]]:
    """A valid signed link (reset or verification) for a fresh researcher."""
    def values(w: Any) -> dict[str, Any]:
        from matchmaker.services.credentials.tokens import make_token

        user = w.make_user("researcher", email="link@example.com", email_verified=purpose == "reset")
        return {"token": make_token(user, purpose)}
    return values


def _mail_values(w: Any) -> dict[str, Any]:
    from matchmaker.models import OutgoingMail

    mail = w.add(OutgoingMail(to="x@example.com", template="notification", subject="s", text="t", html="h",
                              language="zh_Hans_CN", status="failed", attempts=6, last_error="SMTPDataError"))
    return {"mail_id": mail.id}


RULES: dict[str, Rule] = {
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": LOGIN,
    "auth.tokens": LOGIN,
    "auth.my_sessions": LOGIN,
    "jobs.status": Rule("login", values=lambda w: {"job_id": _own_job(w)}),
    "jobs.status_json": Rule("login", values=lambda w: {"job_id": _own_job(w)}),
    "auth.end_all_sessions": LOGIN,
    "auth.revoke_token": LOGIN,  # World.values gives a token of the actor's own; other people's: 404 (own test)
    "account.change_password": LOGIN,
    "account.forgot": PUBLIC,
    "account.reset_password": Rule("public", values=_link_values("reset")),
    "account.verify_email": Rule("public", values=_link_values("verify")),
    "account.resend_verification": LOGIN,
    "account.preferences": LOGIN,
    **_posting_rules("results", "result"),
    **_posting_rules("needs", "need"),
    "review.queue": STAFF,
    "review.publish": Rule("staff", posting="result", statuses=("pending",)),
    "review.reject": Rule("staff", posting="result", statuses=("pending",)),
    "chains.index": PUBLIC,
    "chains.edit": STAFF,
    "orgs.index": PUBLIC,
    "orgs.detail": PUBLIC,
    "orgs.create": STAFF,
    "orgs.edit": STAFF,
    "orgs.locality": STAFF,
    "admin.users": ADMIN,
    "admin.change_role": Rule("admin", form={"role": "researcher"}),
    "admin.toggle_disabled": ADMIN,
    "admin.unlock": ADMIN,
    "admin.send_reset": ADMIN,
    "admin.outbox": ADMIN,
    "admin.retry_mail": Rule("admin", values=_mail_values),
    "admin.audit": STAFF,
    "dashboard.index": STAFF,
    "dashboard.gaps": STAFF,
    "dashboard.evidence": Rule("staff", values=lambda w: {"year": 2025, "metric": "events"}),
    "dashboard.evidence_xlsx": Rule("staff", values=lambda w: {"year": 2025, "metric": "firms"}),
    "dashboard.report": Rule("staff", values=lambda w: {"year": 2025}),
    "dashboard.targets": Rule("staff", values=lambda w: {"year": 2025}),
    "io.index": STAFF,
    "io.export": Rule("staff", values=lambda w: {"name": "results"}),
    "io.template": Rule("staff", values=lambda w: {"kind": "result"}),
    "io.upload": STAFF,
    "io.preview": Rule("staff", values=lambda w: {"token": "x" * 32}),  # unknown token: back to /io/
    "io.confirm": Rule("staff", values=lambda w: {"token": "x" * 32}),
    "io.discard": Rule("staff", values=lambda w: {"token": "x" * 32}),
    "matching.explain": Rule("public", posting="result", statuses=("draft", "published"),
                             values=lambda w: {"result_id": w.posting.id, "need_id": w.make_posting("need").id}),
    "matching.chain_suggestions": PUBLIC,
    "matching.record_feedback": Rule(
        "owner_or_staff", posting="result", statuses=("published",),
        form=lambda w: {"source_kind": "result", "source_id": w.posting.id, "target_id": w.make_posting("need").id,
                        "rank": "1", "useful": "1"}),
    "matching.precision": STAFF,
    **{f"events.{name}": Rule("staff", values=_event_values) for name in (
        "index", "create", "edit", "detail", "set_status", "plan", "add_lists", "remove_result", "remove_invitation",
        "invitation_status", "checkin", "check_in", "agenda", "build", "agenda_print", "agenda_export")},
    **{f"events.{name}": Rule("staff", values=_meeting_values) for name in ("move", "remove", "outcome")},
    "events.scan": Rule("staff", values=_event_values),
    "events.add_walk_in": Rule("staff", values=_event_values),
    "events.approve_registration": Rule("staff", values=_pending_registration_values),
    "events.decline_registration": Rule("staff", values=_pending_registration_values),
    "participate.index": PUBLIC,
    "participate.detail": Rule("public", values=lambda w: _public_event_values(w)),
    "participate.door": Rule("public", values=lambda w: _public_event_values(w)),
    "participate.answer": Rule("public", values=_answer_values),
    "participate.register": Rule("login", values=lambda w: _public_event_values(w)),
    "participate.decline_invitation": Rule("login", values=lambda w: _public_event_values(w, "invited")),
    "participate.cancel": Rule("login", values=lambda w: _public_event_values(w, "registered")),
    "participate.mine": LOGIN,
    **{f"participate.{name}": Rule("login", values=lambda w: _public_event_values(w, "registered"))
       for name in ("my_event", "my_event_print", "my_event_ics")},
    **{f"deals.{name}": Rule("staff", values=_deal_values) for name in (
        "intents", "new_intent", "edit_intent", "intent_detail", "intent_status", "transfers", "new_transfer",
        "edit_transfer", "transfer_detail")},
    "deals.add_note": Rule("staff", values=_deal_values, form={"noted_on": "2025-01-02", "text": "电话回访"}),
    "meetings.meet": Rule("public", values=_meet_event_values),
    "meetings.ask": Rule("login", values=_meet_event_values),
    "meetings.inbox": LOGIN,
    "meetings.answer": Rule("login", values=_meeting_request_values),
    "meetings.my_outcomes": Rule("login", values=_meet_event_values),
    "meetings.record_outcome": Rule("login", values=_participant_meeting_values, form={"outcome": "follow_up"}),
    "meetings.missing": STAFF,
    "contacts.index": LOGIN,
    "contacts.new": Rule("requester_result", values=lambda w: {"kind": "results",
                                                                "posting_id": w.make_posting("result").id}),
    "contacts.detail": Rule("staff", denied=404, values=_contact_values),
    "contacts.act": Rule("staff", denied=404, values=_contact_values),
    "notifications.index": LOGIN,
    "notifications.read": Rule("login", values=_note_values),
    "notifications.read_all": LOGIN,
    "alerts.index": LOGIN,
    "alerts.create": LOGIN,
    "alerts.watch": Rule("owner", posting="result", statuses=("published",), denied=404),
    "alerts.delete": Rule("login", values=_subscription_values),
    "alerts.frequency": LOGIN,
    "alerts.unsubscribe": Rule("public", values=_unsubscribe_values),
    "alerts.staff": STAFF,
    "people.verification_queue": STAFF,
    "people.decide_org": Rule("staff", values=_pending_org_values),
    "people.members": LOGIN,
    "people.decide_member": Rule("staff", denied=404, values=_join_values),
    "people.profile": Rule("staff", values=lambda w: {"org_id": w.make_org().id}),
    "people.org_members": Rule("staff", values=lambda w: {"org_id": w.make_org().id}),
    "people.locality": PUBLIC,
}

ROLES_ALLOWED = {
    "public": None,
    "login": ("researcher", "company", "staff", "admin"),
    "staff": ("staff", "admin"),
    "admin": ("admin",),
    "poster_result": ("researcher", "staff", "admin"),
    "poster_need": ("company", "staff", "admin"),
    "owner_or_staff": ("staff", "admin"),  # and the owner
    "requester_result": ("company",),  # 我要对接 on a result: members of verified companies
    "owner": (),  # the posting's owner only (新匹配提醒 for one's own posting)
}


def is_api(endpoint: str, path: str) -> bool:
    """Endpoints the JSON API tests own."""
    return endpoint.split(".", 1)[0].startswith("api") or path.startswith("/api/")


def rule_for(endpoint: str, path: str) -> Rule | None:
    if endpoint == "static":
        return None
    if is_api(endpoint, path):
        return API
    return RULES.get(endpoint)


def allowed(rule: Rule, role: str | None, owner: bool) -> bool:
    """Does the rule let this actor in? role None = signed out (or disabled)."""
    if rule.who == "public":
        return True
    if role is None:
        return False
    if rule.who in ("owner_or_staff", "owner") and owner:
        return True
    return role in ROLES_ALLOWED[rule.who]  # type: ignore[operator]


def expected(rule: Rule, role: str | None, owner: bool, status: str | None) -> set[int] | str:
    """Status codes the answer may have; 'login' means a redirect to the sign-in page."""
    hidden = (rule.posting is not None and status not in PUBLIC_STATUSES and not owner
              and role not in ("staff", "admin"))
    if rule.who == "public" and hidden:
        return {404}
    if allowed(rule, role, owner):
        return {200, 302}
    if role is None:
        return "login"
    if hidden:
        # Posting pages look the posting up first (404); staff-only actions may refuse before looking (403).
        return {403, 404} if rule.who == "staff" else {404}
    return {rule.denied}


# ---- Buttons: what each page offers, checked against permissions.actions_for ------------------------------------
#
# tests/web/test_access_matrix.py::test_buttons renders each page below for every actor of BUTTON_ACTORS and every
# state, and checks that each button's marker is on the page exactly when its action is in
# `permissions.actions_for(actor, record)`; test_button_posts then sends each button's request on a fresh record
# and checks that it changes something exactly when the action is in the set (a refused request stores nothing).
# A new button on one of these pages: add a Button (its marker must be unique to it on the page).

BUTTON_ACTORS = ("anonymous", "owner", "researcher", "company", "staff", "admin")
"""'owner' owns the record (the posting's author; the organization's manager); elsewhere it is a researcher."""


@dataclass(frozen=True)
class Button:
    """One action a page offers."""

    action: str
    marker: Callable[[Any], str]
    """Text on the page exactly when the action is offered (a function of the record; url_for works in it)."""
    post: Callable[[Any], tuple[str, dict[str, Any]]] | None = None
    """URL and form of the request the button sends, or None for a link to another page."""
    of: Callable[[Any], Any] | None = None
    """The record whose actions decide this button (a row of the page's record), when not the record itself."""


@dataclass(frozen=True)
class ButtonPage:
    """A page with buttons: how to build its record in a state, and its URL."""

    build: Callable[[Any, str, Any], Any]
    """(world, state, owner or None) -> the record."""
    states: tuple[str, ...]
    page: Callable[[Any], str]
    buttons: tuple[Button, ...]
    owner_role: str = "researcher"
    actors: tuple[str, ...] = BUTTON_ACTORS
    """Who to try: staff-only pages need no owner or company (they are answered as for any researcher)."""


STAFF_PAGE_ACTORS = ("anonymous", "researcher", "staff", "admin")


def _url(endpoint: str, **values: Any) -> str:
    from flask import url_for

    return url_for(endpoint, **values)


def _posting(kind: str) -> Callable[[Any, str, Any], Any]:
    def build(w: Any, state: str, owner: Any) -> Any:
        posting = w.make_posting(kind, owner=owner, status=state)
        posting.duplicate_of_id, posting.duplicate_score = w.make_posting(kind).id, 0.93
        return w.add(posting)
    return build


def _posting_page(kind: str, name: str) -> ButtonPage:
    def where(action: str) -> Callable[[Any], str]:
        return lambda p: _url(f"{name}.{action}", posting_id=p.id)
    phone = "13812345678" if kind == "result" else "13987654321"
    return ButtonPage(
        build=_posting(kind), states=("draft", "pending", "published", "rejected", "withdrawn", "transferred"),
        page=where("detail"), owner_role="researcher" if kind == "result" else "company", buttons=(
            Button("edit", lambda p: f'href="{where("edit")(p)}"'),
            Button("submit", lambda p: f'action="{where("submit")(p)}"', post=lambda p: (where("submit")(p), {})),
            Button("withdraw", lambda p: f'action="{where("withdraw")(p)}"',
                   post=lambda p: (where("withdraw")(p), {})),
            Button("review", lambda p: f'action="{_url("review.publish", kind=kind, posting_id=p.id)}"',
                   post=lambda p: (_url("review.publish", kind=kind, posting_id=p.id), {})),
            Button("see_duplicate", lambda p: 'id="duplicate-warning"'),
            Button("see_contact", lambda p: phone),
        ))


def _event(w: Any, state: str, owner: Any) -> Any:
    """An event in `state` presenting a result, with one organization invited and one attended."""
    from datetime import datetime

    from matchmaker.models import Event, EventResult, Invitation

    result = w.make_posting("result")
    return w.add(Event(name="测试对接会", type="matchmaking", starts_at=datetime(2025, 5, 1, 9), status=state,
                       chain_ids=[w.chain.id], presentations=[EventResult(result_id=result.id)],
                       invitations=[Invitation(org_id=w.org.id, status="invited"),
                                    Invitation(org_id=w.make_org().id, status="attended")]))


def _invited(event: Any) -> Any:
    return next(i for i in event.invitations if i.status != "attended")


def _attended(event: Any) -> Any:
    return next(i for i in event.invitations if i.status == "attended")


def _invitation_url(endpoint: str, pick: Callable[[Any], Any]) -> Callable[[Any], str]:
    return lambda e: _url(endpoint, event_id=e.id, org_id=pick(e).org_id)


def _status_post(status: str) -> Callable[[Any], tuple[str, dict[str, Any]]]:
    return lambda e: (_url("events.set_status", event_id=e.id), {"status": status})


def _unpresent(event: Any) -> str:
    return _url("events.remove_result", event_id=event.id, result_id=event.presentations[0].result_id)


EVENT_STATES = ("planned", "held", "cancelled")

EVENT_DETAIL = ButtonPage(
    build=_event, actors=STAFF_PAGE_ACTORS,
    states=EVENT_STATES, page=lambda e: _url("events.detail", event_id=e.id), buttons=(
        Button("edit", lambda e: f'href="{_url("events.edit", event_id=e.id)}"'),
        Button("mark_held", lambda e: 'name="status" value="held"', post=_status_post("held")),
        Button("cancel", lambda e: 'name="status" value="cancelled"', post=_status_post("cancelled")),
        Button("remove_result", lambda e: f'action="{_unpresent(e)}"', post=lambda e: (_unpresent(e), {})),
        Button("set_status", lambda e: f'action="{_invitation_url("events.invitation_status", _invited)(e)}"',
               post=lambda e: (_invitation_url("events.invitation_status", _invited)(e), {"status": "registered"}),
               of=_invited),
        Button("remove", lambda e: f'action="{_invitation_url("events.remove_invitation", _invited)(e)}"',
               post=lambda e: (_invitation_url("events.remove_invitation", _invited)(e), {}), of=_invited),
        Button("remove", lambda e: f'action="{_invitation_url("events.remove_invitation", _attended)(e)}"',
               post=lambda e: (_invitation_url("events.remove_invitation", _attended)(e), {}), of=_attended),
    ))

EVENT_CHECKIN = ButtonPage(
    build=_event, actors=STAFF_PAGE_ACTORS,
    states=EVENT_STATES, page=lambda e: _url("events.checkin", event_id=e.id), buttons=(
        Button("check_in", lambda e: f'action="{_invitation_url("events.check_in", _invited)(e)}"',
               post=lambda e: (_invitation_url("events.check_in", _invited)(e), {}), of=_invited),
        Button("undo_check_in", lambda e: f'action="{_invitation_url("events.invitation_status", _attended)(e)}"',
               post=lambda e: (_invitation_url("events.invitation_status", _attended)(e), {"status": "registered"}),
               of=_attended),
    ))


def _event_with_meeting(w: Any, state: str, owner: Any) -> Any:
    from matchmaker.models import Meeting

    event = _event(w, state, owner)
    w.add(Meeting(event_id=event.id, result_id=event.presentations[0].result_id, company_id=w.org.id, slot=0,
                  table_no=1))
    return event


def _meeting_url(endpoint: str) -> Callable[[Any], str]:
    return lambda e: _url(endpoint, meeting_id=e.meetings[0].id)


EVENT_AGENDA = ButtonPage(
    build=_event_with_meeting, actors=STAFF_PAGE_ACTORS,
    states=EVENT_STATES, page=lambda e: _url("events.agenda", event_id=e.id), buttons=(
        Button("build_agenda", lambda e: f'action="{_url("events.build", event_id=e.id)}"'),
        Button("remove_meeting", lambda e: f'action="{_meeting_url("events.remove")(e)}"',
               post=lambda e: (_meeting_url("events.remove")(e), {})),
        Button("move_meeting", lambda e: f'action="{_meeting_url("events.move")(e)}"',
               post=lambda e: (_meeting_url("events.move")(e), {"slot": "1", "table_no": "1"})),
        Button("record_outcome", lambda e: f'action="{_meeting_url("events.outcome")(e)}"',
               post=lambda e: (_meeting_url("events.outcome")(e), {"outcome": "follow_up"})),
    ))

EVENT_PLAN = ButtonPage(
    build=_event, actors=STAFF_PAGE_ACTORS,
    states=EVENT_STATES, page=lambda e: _url("events.plan", event_id=e.id), buttons=(
        Button("plan", lambda e: "将勾选项加入名单",
               post=lambda e: (_url("events.add_lists", event_id=e.id),
                              {"org_ids": str(e.presentations[0].result.org_id)})),  # not yet invited
    ))


def _intent(w: Any, state: str, owner: Any) -> Any:
    from datetime import date

    from matchmaker.models import Intent

    return w.add(Intent(result_id=w.make_posting("result").id, company_id=w.org.id, logged_on=date(2025, 1, 1),
                        last_activity_on=date(2025, 1, 1), status=state))


INTENT_DETAIL = ButtonPage(
    build=_intent, actors=STAFF_PAGE_ACTORS,
    states=("open", "negotiating", "signed", "dropped"),
    page=lambda i: _url("deals.intent_detail", intent_id=i.id), buttons=(
        Button("edit", lambda i: f'href="{_url("deals.edit_intent", intent_id=i.id)}"'),
        Button("set_status", lambda i: f'action="{_url("deals.intent_status", intent_id=i.id)}"',
               post=lambda i: (_url("deals.intent_status", intent_id=i.id), {"status": "dropped"})),
        Button("record_transfer", lambda i: f'href="{_url("deals.new_transfer", intent_id=i.id)}"'),
        Button("add_note", lambda i: 'id="note-form"',
               post=lambda i: (_url("deals.add_note", intent_id=i.id), {"noted_on": "2025-01-02", "text": "电话回访"})),
    ))


def _org(w: Any, state: str, owner: Any) -> Any:
    """The owner's organization (the owner manages it), or a fresh one; in `state`."""
    org = owner.org if owner is not None else w.make_org()
    if owner is not None:
        owner.membership.role = "manager"
    org.status = state
    return w.add(org)


ORG_DETAIL = ButtonPage(
    build=_org, states=("verified",), owner_role="company", page=lambda o: _url("orgs.detail", org_id=o.id),
    buttons=(
        Button("edit", lambda o: f'href="{_url("orgs.edit", org_id=o.id)}"'),
        Button("edit_profile", lambda o: 'id="edit-profile"'),
        Button("see_members", lambda o: 'id="org-members-link"'),
        Button("see_private", lambda o: o.credit_code),
        Button("set_locality", lambda o: f'action="{_url("orgs.locality", org_id=o.id)}"'),
    ))


def _mail(w: Any, state: str, owner: Any) -> Any:
    from matchmaker.models import OutgoingMail

    return w.add(OutgoingMail(to="x@example.com", template="notification", subject="s", text="t", html="h",
                              language="zh_Hans_CN", status=state, attempts=6, last_error="SMTPDataError"))


OUTBOX = ButtonPage(
    build=_mail, actors=STAFF_PAGE_ACTORS,
    states=("queued", "sent", "failed"), page=lambda m: _url("admin.outbox"), buttons=(
        Button("retry", lambda m: f'action="{_url("admin.retry_mail", mail_id=m.id)}"',
               post=lambda m: (_url("admin.retry_mail", mail_id=m.id), {})),
    ))


def _chain(w: Any, state: str, owner: Any) -> Any:
    return w.chain


CHAINS = ButtonPage(
    build=_chain, actors=STAFF_PAGE_ACTORS,
    states=("listed",), page=lambda c: _url("chains.index"), buttons=(
        Button("edit", lambda c: f'href="{_url("chains.edit", chain_id=c.id)}"'),
    ))

BUTTON_PAGES: dict[str, ButtonPage] = {
    "result": _posting_page("result", "results"), "need": _posting_page("need", "needs"),
    "event": EVENT_DETAIL, "checkin": EVENT_CHECKIN, "agenda": EVENT_AGENDA, "plan": EVENT_PLAN,
    "intent": INTENT_DETAIL, "org": ORG_DETAIL, "outbox": OUTBOX, "chains": CHAINS,
}

SITE_BUTTONS: dict[str, tuple[str, str, str | None]] = {
    "staff_menu": ("main.index", "review.queue", 'id="staff-menu"'),
    "audit_log": ("main.index", "admin.audit", None),
    "admin_menu": ("main.index", "admin.outbox", None),
    "my_results": ("main.index", "results.mine", None),
    "my_needs": ("main.index", "needs.mine", None),
    "post_result": ("results.index", "results.create", None),
    "post_need": ("needs.index", "needs.create", None),
    "create_org": ("orgs.index", "orgs.create", None),
}
"""Page-wide action -> (a page that offers it, the page it leads to, its marker when not a link to that page);
checked against permissions.site_actions."""

SITE_TARGETS_GUARDED = ("staff_menu", "audit_log", "admin_menu", "post_result", "post_need", "create_org")
"""Actions whose target page answers 200 exactly when the action is offered (我的成果 is any account's page)."""
