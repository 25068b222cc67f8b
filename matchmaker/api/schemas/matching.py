"""Matching: search and suggestion arguments, explained hits and their presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.chains import ChainRef, chain_ref
from matchmaker.api.schemas.common import Id, QuerySchema, Text
from matchmaker.api.schemas.organizations import OrgRef, org_ref
from matchmaker.services.matching.suggestions import score_percent

if TYPE_CHECKING:
    from matchmaker.engine import Hit
    from matchmaker.services.matching.suggestions import Suggestion
    from matchmaker.services.postings.lifecycle import Posting


class MatchArgs(QuerySchema):
    k = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    chain_id = Id(load_default=None)
    min_score = fields.Float(load_default=None, validate=validate.Range(0, 1))


class FreeTextArgs(QuerySchema):
    q = Text(required=True, validate=validate.Length(max=4000))
    kind = Text(load_default=None, validate=validate.OneOf(["result", "need"]))
    k = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    chain_id = Id(load_default=None)


class SuggestArgs(QuerySchema):
    text = Text(required=True, validate=validate.Length(max=5000))
    k = fields.Integer(load_default=3, validate=validate.Range(1, 10))


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
