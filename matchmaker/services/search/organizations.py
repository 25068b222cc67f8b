"""Searching organizations: every analyzer term of the query in the name or the profile (literal SQL match).

The engine indexes postings, not organizations; an organization's name is short and exact, so the engine's
analyzer splits the query into words ("淄博 化工企业" → 淄博, 化工, 企业) and each must occur in the name or the
description (case-insensitive, `%` and `_` literal). Names holding more of the terms come first, then by name.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import Integer, and_, case, literal, or_, select

from matchmaker.models import Organization
from matchmaker.models.organization import ORG_KINDS
from matchmaker.services.lookup import page_of
from matchmaker.services.matching import index as match_index
from matchmaker.services.search.results import Found, SearchPage
from matchmaker.services.search.text import clean_query, mark, snippet


def org_terms(q: str) -> list[str]:
    """The query's words by the engine's analyzer (its parts at spaces where the app runs without an index)."""
    parts = q.lower().split()
    if match_index.enabled():
        analyzer = match_index.current().analyzer
        words = [w for part in parts for w in analyzer.words(analyzer.normalize(part))]
        parts = words or parts  # a query of stopwords only still means its own text
    return list(dict.fromkeys(parts))[:8]


def search_organizations(*, kind: str = "", q: str = "", page: int = 1, per_page: int = 20,
                         include_unverified: bool = False) -> SearchPage:
    """Organizations of one kind (or all) holding every term of the query; one page, hits marked.

    Only verified organizations are listed, unless the caller (staff) asks for all."""
    q, cut = clean_query(q, current_app.config["SEARCH_MAX_CHARS"])
    terms = org_terms(q) if q else []
    stmt = select(Organization)
    if not include_unverified:
        stmt = stmt.where(Organization.status == "verified")
    if kind in ORG_KINDS:
        stmt = stmt.where(Organization.kind == kind)
    in_name = [Organization.name.icontains(t, autoescape=True) for t in terms]
    if terms:
        stmt = stmt.where(and_(*(or_(n, Organization.description.icontains(t, autoescape=True))
                                 for n, t in zip(in_name, terms, strict=True))))
        named: Any = sum((case((n, 1), else_=0) for n in in_name), literal(0, Integer))
        stmt = stmt.order_by(named.desc(), Organization.name)
    else:
        stmt = stmt.order_by(Organization.kind, Organization.name)
    rows, total = page_of(stmt, page, per_page)
    width = current_app.config["SEARCH_SNIPPET_CHARS"]
    items = [Found(o, mark(o.name, terms), snippet(o.description, terms, width)) for o in rows]
    return SearchPage(items, total, max(page, 1), per_page, q=q, sort="relevance" if q else "name", truncated=cut)
