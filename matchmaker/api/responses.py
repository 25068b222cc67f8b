"""Marshmallow schemas of what the API returns (documentation and serialization)."""
from __future__ import annotations

from marshmallow import Schema, fields


class ChainRef(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class ChainOut(ChainRef):
    description = fields.String(required=True)
    terms = fields.List(fields.String(), required=True)


class OrgRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ContactOut(Schema):
    name = fields.String(required=True)
    phone = fields.String(required=True)
    email = fields.String(required=True)
    masked = fields.Boolean(required=True, metadata={"description": "True for anyone but the owner and staff."})


class PostingOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    title = fields.String(required=True)
    keywords = fields.List(fields.String(), required=True)
    modes = fields.List(fields.String(), required=True)
    chain = fields.Nested(ChainRef, allow_none=True, required=True)
    org = fields.Nested(OrgRef, required=True)
    contact = fields.Nested(ContactOut, required=True)
    reject_reason = fields.String(required=True)
    submitted_at = fields.DateTime(allow_none=True, required=True)
    published_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ResultOut(PostingOut):
    summary = fields.String(required=True)
    innovations = fields.String(required=True)
    indicators = fields.String(required=True)
    trl = fields.Integer(allow_none=True, required=True)
    stage = fields.String(required=True)
    ip_type = fields.String(required=True)
    patent_numbers = fields.String(required=True)
    price_wan = fields.Float(allow_none=True, required=True, metadata={"description": "万元; null means 面议"})
    expires_on = fields.Date(allow_none=True, required=True)


class NeedOut(PostingOut):
    problem = fields.String(required=True)
    targets = fields.String(required=True)
    need_type = fields.String(required=True)
    budget_wan = fields.Float(allow_none=True, required=True, metadata={"description": "万元; null means 面议"})
    deadline = fields.Date(allow_none=True, required=True)
    trl_min = fields.Integer(allow_none=True, required=True)


class PageOut(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class SearchPageOut(PageOut):
    q = fields.String(metadata={"description": "The query as searched (cut to SEARCH_MAX_CHARS characters)."})
    sort = fields.String(metadata={"description": "relevance (best match first) or date (newest first)."})
    truncated = fields.Boolean(metadata={"description": "True when the query was longer than the limit and was cut."})


class ResultPage(SearchPageOut):
    items = fields.List(fields.Nested(ResultOut), required=True)


class NeedPage(SearchPageOut):
    items = fields.List(fields.Nested(NeedOut), required=True)


class OrganizationOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    credit_code = fields.String(required=True)
    region_code = fields.String(required=True)
    is_local = fields.Boolean(required=True)
    status = fields.String(required=True, metadata={"description": "pending | verified | changes_requested | "
                                                                    "rejected"})
    district = fields.String(required=True)
    address = fields.String(required=True)
    contact_name = fields.String(required=True)
    contact_phone = fields.String(required=True)
    contact_email = fields.String(required=True)
    description = fields.String(required=True)


class OrganizationPage(SearchPageOut):
    items = fields.List(fields.Nested(OrganizationOut), required=True)


class ReviewQueueOut(Schema):
    results = fields.List(fields.Nested(ResultOut), required=True)
    needs = fields.List(fields.Nested(NeedOut), required=True)


class TargetOut(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    org = fields.Nested(OrgRef, required=True)
    chain = fields.Nested(ChainRef, allow_none=True, required=True)


class CheckOut(Schema):
    label = fields.String(required=True)
    ok = fields.Boolean(allow_none=True, required=True, metadata={"description": "null: unknown (面议, not given)"})
    detail = fields.String(required=True)


class ContributionOut(Schema):
    term = fields.String(required=True)
    weight = fields.Float(required=True)


class HitOut(Schema):
    rank = fields.Integer(required=True)
    target = fields.Nested(TargetOut, required=True)
    score = fields.Float(required=True, metadata={
        "description": "0..1; for a posting's matches the pair score (the need's terms the result covers), the same "
                       "in both directions"})
    score_percent = fields.Integer(required=True, metadata={"description": "score as the pages show it, 0..100"})
    terms = fields.List(fields.String(), required=True)
    contributions = fields.List(fields.Nested(ContributionOut), required=True)
    checks = fields.List(fields.Nested(CheckOut), required=True,
                         metadata={"description": "Compatibility checklist; empty for free-text search."})


class MatchesOut(Schema):
    items = fields.List(fields.Nested(HitOut), required=True)


class ChainList(Schema):
    items = fields.List(fields.Nested(ChainOut), required=True)


class ChainSuggestionOut(Schema):
    chain = fields.Nested(ChainRef, required=True)
    score = fields.Float(required=True)


class ChainSuggestions(Schema):
    items = fields.List(fields.Nested(ChainSuggestionOut), required=True)
