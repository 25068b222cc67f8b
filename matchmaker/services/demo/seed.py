"""Loading the authored demo data set in corpus/demo (one transaction; a second run adds nothing)."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, Meeting, Need, Organization, Result, User
from matchmaker.services import audit, chains, credit_code
from matchmaker.services.accounts import hash_password
from matchmaker.services.matching import change_log

MARKER = "seed_demo"


def _read(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _moment(day: str | None) -> datetime | None:
    return datetime.combine(date.fromisoformat(day), time(9, 30), tzinfo=UTC) if day else None


def seed_demo(corpus_dir: str, progress: Callable[[str], Any] = lambda _m: None) -> dict[str, int]:
    """Insert the demo organizations, users, postings and (when present) events and deals."""
    chains.load_default_chains(corpus_dir)
    if db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == MARKER)):
        progress("demo data already loaded")
        return {}
    folder = Path(corpus_dir) / "demo"
    orgs = _organizations(_read(folder, "organizations.json"))
    users = _users(_read(folder, "users.json"), orgs)
    chain_ids = {c.code: c.id for c in db.session.scalars(select(Chain))}
    owners = _owners_by_org(users)
    results = _postings(Result, _read(folder, "results.json"), orgs, owners, chain_ids, _result_fields)
    needs = _postings(Need, _read(folder, "needs.json"), orgs, owners, chain_ids, _need_fields)
    report = {"organizations": len(orgs), "users": len(users), "results": len(results), "needs": len(needs)}
    from matchmaker.services.demo import alerts as demo_alerts
    from matchmaker.services.demo import deals as demo_deals
    from matchmaker.services.demo import people as demo_people

    report.update(demo_deals.seed(folder, orgs, results, needs, users))
    report.update(demo_people.seed(folder, orgs, results, needs, users))
    report.update(demo_alerts.seed(folder, results, needs, users))
    _score_meetings()
    audit.record(None, MARKER, None, entity_type="system", note=json.dumps(report))
    change_log.posting_changed(None)
    db.session.commit()
    progress("demo data loaded")
    return report


def _score_meetings() -> None:
    """Authored meetings get the score the engine gives their need and result, as a built agenda's would."""
    from matchmaker.services.matching import suggestions as matching

    db.session.flush()
    for meeting in db.session.scalars(select(Meeting).where(Meeting.need_id.is_not(None))):
        if meeting.need is not None and meeting.need.status == "published":
            meeting.score = matching.score_pair(meeting.need, meeting.result)


def _organizations(items: list[dict[str, Any]]) -> dict[str, Organization]:
    out: dict[str, Organization] = {}
    for item in items:
        code = credit_code.normalize(item["credit_code"])
        org = db.session.scalar(select(Organization).where(Organization.credit_code == code))
        if org is None:
            org = Organization(name=item["name"], kind=item["kind"], credit_code=code,
                               region_code=credit_code.region(code), district=item.get("district", ""),
                               address=item.get("address", ""), contact_name=item.get("contact_name", ""),
                               contact_phone=item.get("contact_phone", ""),
                               contact_email=item.get("contact_email", ""))
            db.session.add(org)
        out[item["key"]] = org
    db.session.flush()
    return out


def _users(items: list[dict[str, Any]], orgs: dict[str, Organization]) -> dict[str, User]:
    out: dict[str, User] = {}
    hashes: dict[str, str] = {}  # demo accounts share a few passwords; hash each once (scrypt is slow on purpose)
    for item in items:
        user = db.session.scalar(select(User).where(User.username == item["username"]))
        if user is None:
            pw = item["password"]
            hashes.setdefault(pw, hash_password(pw))
            user = User(username=item["username"], role=item["role"], org=orgs.get(item.get("org", "")),
                        display_name=item.get("display_name", item["username"]), email=item.get("email", ""),
                        password_hash=hashes[pw])
            db.session.add(user)
        out[item["username"]] = user
    db.session.flush()
    return out


def _owners_by_org(users: dict[str, User]) -> dict[int, User]:
    owners: dict[int, User] = {}
    for user in users.values():
        if user.org_id is not None and user.role in ("researcher", "company"):
            owners.setdefault(user.org_id, user)
    return owners


def _common_fields(item: dict[str, Any], chain_ids: dict[str, int]) -> dict[str, Any]:
    published = _moment(item.get("published_on"))
    return dict(title=item["title"], keywords=list(item.get("keywords", [])), modes=list(item.get("modes", [])),
                chain_id=chain_ids.get(item.get("chain", "")), contact_name=item.get("contact_name", ""),
                contact_phone=item.get("contact_phone", ""), contact_email=item.get("contact_email", ""),
                status=item.get("status", "published"), reject_reason=item.get("reject_reason", ""),
                published_at=published if item.get("status", "published") == "published" else None,
                submitted_at=published or datetime.now(UTC), created_at=published or datetime.now(UTC))


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _result_fields(item: dict[str, Any]) -> dict[str, Any]:
    return dict(summary=item.get("summary", ""), innovations=item.get("innovations", ""),
                indicators=item.get("indicators", ""), trl=item.get("trl"), stage=item.get("stage", ""),
                ip_type=item.get("ip_type", "none"), patent_numbers=item.get("patent_numbers", ""),
                price_wan=_money(item.get("price_wan")))


def _need_fields(item: dict[str, Any]) -> dict[str, Any]:
    deadline = item.get("deadline")
    return dict(problem=item.get("problem", ""), targets=item.get("targets", ""),
                need_type=item.get("need_type", "rd"), budget_wan=_money(item.get("budget_wan")),
                deadline=date.fromisoformat(deadline) if deadline else None, trl_min=item.get("trl_min"))


def _postings(model: Any, items: list[dict[str, Any]], orgs: dict[str, Organization], owners: dict[int, User],
              chain_ids: dict[str, int], specific: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        org = orgs[item["org"]]
        owner = owners.get(org.id)
        if owner is None:
            continue
        posting = model(**_common_fields(item, chain_ids), **specific(item), org_id=org.id, owner_id=owner.id)
        db.session.add(posting)
        out[item["key"]] = posting
    db.session.flush()
    return out
