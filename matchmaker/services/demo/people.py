"""Demo memberships, a pending organization, a pending join request, 我要对接 requests in every state and their
notifications, from corpus/demo/people.json (inside the demo transaction)."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import ContactEvent, ContactRequest, Intent, Membership, Organization, User
from matchmaker.models._base import utcnow
from matchmaker.services import credit_code, fields
from matchmaker.services.accounts import hash_password
from matchmaker.services.contacts import rules
from matchmaker.services.notify.notifications import notify, notify_all, staff_users

# What the real flow would have told whom, per final status: (recipient side, subject) in order.
TOLD = {
    "submitted": [("staff", "contact_submitted")],
    "approved": [("staff", "contact_submitted"), ("owner", "contact_received"), ("requester", "contact_approved")],
    "declined": [("requester", "contact_declined")],
    "refused": [("owner", "contact_received"), ("requester", "contact_refused")],
    "revealed": [("owner", "contact_received"), ("requester", "contact_approved"),
                 ("requester", "contact_accepted")],
    "withdrawn": [("staff", "contact_submitted")],
    "expired": [("requester", "contact_expired"), ("staff", "contact_expired")],
}
STEPS = {"submitted": ["submitted"], "approved": ["submitted", "approved"], "declined": ["submitted", "declined"],
         "refused": ["submitted", "approved", "refused"], "revealed": ["submitted", "approved", "revealed"],
         "withdrawn": ["submitted", "withdrawn"], "expired": ["submitted", "approved", "expired"]}
KIND_OF = {"contact_submitted": "contact_received", "contact_received": "contact_received",
           "contact_approved": "contact_decided", "contact_declined": "contact_decided",
           "contact_refused": "contact_decided", "contact_accepted": "contact_accepted",
           "contact_expired": "contact_expiring"}


def seed(folder: Path, orgs: dict[str, Organization], results: dict[str, Any], needs: dict[str, Any],
         users: dict[str, User]) -> dict[str, int]:
    """Everyone seeded so far becomes an active member (the first of each organization its manager)."""
    path = folder / "people.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    _memberships(users)
    if not data:
        return {}
    _pending(data, orgs, users)
    staff = staff_users() or [u for u in users.values() if u.is_staff]
    made = [_request(item, results, needs, users, staff) for item in data.get("contact_requests", [])]
    return {"contact_requests": sum(1 for r in made if r is not None)}


def _memberships(users: dict[str, User]) -> None:
    seen: set[int] = set()
    for user in users.values():
        if user.org_id is None or getattr(user, "membership", None) is not None:
            continue
        role = "member" if user.org_id in seen else "manager"
        seen.add(user.org_id)
        db.session.add(Membership(user=user, org_id=user.org_id, role=role, status="active"))
    db.session.flush()


def _account(item: dict[str, Any], org: Organization) -> User:
    user = User(username=item["username"], role=item["role"], org=org, display_name=item["display_name"],
                email=item.get("email", ""), password_hash=hash_password(item["password"]))
    db.session.add(user)
    return user


def _pending(data: dict[str, Any], orgs: dict[str, Organization], users: dict[str, User]) -> None:
    spec = data["pending_organization"]
    code = credit_code.normalize(spec["credit_code"])
    org = Organization(**{k: v for k, v in spec.items() if k != "credit_code"}, credit_code=code,
                       region_code=credit_code.region(code), status="pending")
    db.session.add(org)
    founder = _account(data["pending_founder"], org)
    db.session.add(Membership(user=founder, org=org, role="manager", status="active"))
    joining = orgs[data["pending_joiner"]["org"]]
    joiner = _account(data["pending_joiner"], joining)
    db.session.add(Membership(user=joiner, org=joining, role="member", status="pending"))
    db.session.flush()
    notify_all(staff_users(), "org_verification", "org_pending", {"org": org.name}, link="/people/verification")
    managers = [u for u in users.values() if u.org_id == joining.id][:1]
    notify_all(managers, "join_requested", "join_requested", {"user": joiner.display_name, "org": joining.name},
               link="/people/members")


def _request(item: dict[str, Any], results: dict[str, Any], needs: dict[str, Any], users: dict[str, User],
             staff: list[User]) -> ContactRequest | None:
    requester = users.get(item["requester"])
    target = (results if item["target_kind"] == "result" else needs).get(item["target"])
    own = (needs if item["target_kind"] == "result" else results).get(item.get("own", ""))
    if requester is None or target is None or target.status != "published":
        return None
    status, today = item["status"], fields.today()
    req = ContactRequest(
        requester_id=requester.id, requester_org_id=requester.org_id, target_kind=item["target_kind"],
        result_id=target.id if item["target_kind"] == "result" else (own.id if own else None),
        need_id=target.id if item["target_kind"] == "need" else (own.id if own else None),
        owner_id=target.owner_id, owner_org_id=target.org_id, own_posting_id=own.id if own else None,
        message=item["message"], mode=item["mode"], status=status, staff_reason=item.get("reason", ""),
        owner_message=item.get("owner_message", ""),
        due_on=today - timedelta(days=1) if status == "expired" else rules.due_from(today),
        revealed_at=utcnow() if status == "revealed" else None)
    db.session.add(req)
    reviewer = staff[0] if staff else None
    for step in STEPS[status]:
        actor = {"submitted": requester, "withdrawn": requester, "approved": reviewer, "declined": reviewer,
                 "refused": target.owner, "revealed": target.owner, "expired": None}[step]
        note = item.get("reason", "") if step == "declined" else item.get("owner_message", "") \
            if step == "refused" else ""
        req.events.append(ContactEvent(status=step, actor_id=actor.id if actor else None, note=note))
    db.session.flush()
    if status == "revealed":
        db.session.add(Intent(result_id=req.result_id, company_id=req.requester_org_id, need_id=req.need_id,
                              logged_on=today, mode=req.mode, status="open", last_activity_on=today,
                              source="contact_request", contact_request_id=req.id))
    params = {"title": target.title, "org": requester.org.name if requester.org else "", "reason": req.staff_reason,
              "due": req.due_on.isoformat() if req.due_on else ""}
    for side, subject in TOLD[status]:
        people = staff if side == "staff" else [requester if side == "requester" else target.owner]
        for person in people:
            notify(person, KIND_OF[subject], subject, params, link=f"/contacts/{req.id}")
    return req
