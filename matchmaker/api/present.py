"""Models and service results as plain dicts for the output schemas (contact masked through the service)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from matchmaker.services import organizations
from matchmaker.services.matching.suggestions import score_percent
from matchmaker.services.postings import lifecycle as postings

if TYPE_CHECKING:  # the API talks to services; engine and model types only annotate
    from matchmaker.engine import Hit
    from matchmaker.models import Chain, Organization, User
    from matchmaker.services.matching.suggestions import Suggestion
    from matchmaker.services.postings.lifecycle import Posting

COMMON = ("id", "kind", "status", "title", "keywords", "modes", "reject_reason")
STAMPS = ("submitted_at", "published_at", "created_at", "updated_at")
OWN_FIELDS = {
    "result": ("summary", "innovations", "indicators", "trl", "stage", "ip_type", "patent_numbers", "price_wan",
               "expires_on"),
    "need": ("problem", "targets", "need_type", "budget_wan", "deadline", "trl_min"),
}
ORG_FIELDS = ("id", "name", "kind", "credit_code", "region_code", "district", "address", "contact_name",
              "contact_phone", "contact_email", "description")


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def chain_ref(chain: Chain | None) -> dict[str, Any] | None:
    return None if chain is None else {"id": chain.id, "code": chain.code, "name": chain.name}


def org_ref(org: Organization | None) -> dict[str, Any]:
    return {"id": org.id, "name": org.name} if org is not None else {"id": 0, "name": ""}


def posting(item: Posting, actor: User | None) -> dict[str, Any]:
    """A result or need as this actor may see it."""
    out = {name: getattr(item, name) for name in (*COMMON, *OWN_FIELDS[item.kind])}
    out.update({name: aware(getattr(item, name)) for name in STAMPS})
    out["keywords"], out["modes"] = list(item.keywords or []), list(item.modes or [])
    out.update(chain=chain_ref(item.chain), org=org_ref(item.org), contact=postings.contact_for(item, actor))
    return out


def editable(item: Posting) -> dict[str, Any]:
    """The stored input fields, to merge a partial update onto."""
    names = ("title", "chain_id", "keywords", "modes", "contact_name", "contact_phone", "contact_email",
             *OWN_FIELDS[item.kind])
    return {name: getattr(item, name) for name in names}


def organization(org: Organization) -> dict[str, Any]:
    return {**{name: getattr(org, name) for name in ORG_FIELDS}, "is_local": organizations.is_local(org),
            "status": org.status}


def organization_input(org: Organization) -> dict[str, Any]:
    return {name: getattr(org, name) for name in ORG_FIELDS if name not in ("id", "region_code")}


def target(item: Posting) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "title": item.title, "org": org_ref(item.org),
            "chain": chain_ref(item.chain)}


def suggestion(found: Suggestion) -> dict[str, Any]:
    return {"rank": found.rank, "target": target(found.target), "score": found.score,
            "score_percent": score_percent(found.score), "terms": list(found.terms),
            "contributions": [{"term": t, "weight": w} for t, w in found.contributions],
            "checks": [{"label": c.label, "ok": c.ok, "detail": str(c.detail)} for c in found.checks]}


def hit(item: Posting, found: Hit, rank: int) -> dict[str, Any]:
    """A free-text hit: no source posting, so no checklist."""
    return {"rank": rank, "target": target(item), "score": found.score, "score_percent": score_percent(found.score),
            "terms": list(found.terms),
            "contributions": [{"term": t, "weight": w} for t, w in found.contributions], "checks": []}


def search_page(items: list[Any], found: Any) -> dict[str, Any]:
    """A page of search results: the page fields plus the query as searched, its sort and whether it was cut."""
    return {**page(items, found.total, found.page, found.per_page), "q": found.q, "sort": found.sort,
            "truncated": found.truncated}


def page(items: list[Any], total: int, page_number: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page_number, "per_page": per_page,
            "pages": max((total + per_page - 1) // per_page, 1)}
