"""Results and needs (成果 / 需求): input, output and presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.chains import ChainRef, chain_ref
from matchmaker.api.schemas.common import SEARCH_Q, BodySchema, Id, Int, PageArgs, SearchPageOut, Text, aware
from matchmaker.api.schemas.organizations import OrgRef, org_ref
from matchmaker.services.postings import lifecycle as postings

if TYPE_CHECKING:
    from matchmaker.models import User
    from matchmaker.services.postings.lifecycle import Posting


class PostingIn(BodySchema):
    """Fields shared by results and needs; lists may be given as arrays."""

    title = Text(allow_none=True)
    chain_id = Id(allow_none=True, strict=True)
    keywords = fields.List(Text(), allow_none=True)
    modes = fields.List(Text(), allow_none=True, metadata={"description": "transfer, license, equity, joint, service"})
    contact_name = Text(allow_none=True)
    contact_phone = Text(allow_none=True)
    contact_email = Text(allow_none=True)
    org_id = Id(allow_none=True, strict=True, load_only=True,
                metadata={"description": "Staff only: post on behalf of this organization."})


class ResultIn(PostingIn):
    summary = Text(allow_none=True)
    innovations = Text(allow_none=True)
    indicators = Text(allow_none=True)
    trl = Int(allow_none=True)
    stage = Text(allow_none=True, metadata={"description": "research, small_trial, pilot, small_batch, industrial"})
    ip_type = Text(allow_none=True, metadata={"description": "invention, utility, design, software, know_how, none"})
    patent_numbers = Text(allow_none=True)
    price_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})
    expires_on = fields.Date(allow_none=True)


class NeedIn(PostingIn):
    problem = Text(allow_none=True)
    targets = Text(allow_none=True)
    need_type = Text(allow_none=True, metadata={"description": "rd, acquire, process, testing, talent"})
    budget_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})
    deadline = fields.Date(allow_none=True)
    trl_min = Int(allow_none=True)


class CreateResult(ResultIn):
    submit = fields.Boolean(load_default=False, metadata={"description": "Send to review right away."})


class CreateNeed(NeedIn):
    submit = fields.Boolean(load_default=False, metadata={"description": "Send to review right away."})


_CONTACT = {"contact_name": "王工", "contact_phone": "13812345678", "contact_email": "wang@example.edu.cn"}


RESULT_EXAMPLE = {
    "title": "耐高温氟橡胶密封材料", "chain_id": 1, "keywords": ["氟橡胶", "密封件"],
    "summary": "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。", "trl": 6,
    "stage": "pilot", "ip_type": "invention", "modes": ["license", "transfer"], "price_wan": 80, **_CONTACT,
}


NEED_EXAMPLE = {
    "title": "汽车发动机用耐高温密封件国产化", "chain_id": 1, "keywords": ["密封件", "耐高温"],
    "problem": "现用进口氟橡胶密封件价格高、交期长，需要可在二百摄氏度以上长期工作的国产密封材料。",
    "need_type": "rd", "budget_wan": 50, "deadline": "2030-12-31", "modes": ["joint"], "trl_min": 5, **_CONTACT,
}


class RejectIn(BodySchema):
    reason = Text(required=True)


class PostingListArgs(PageArgs):
    q = Text(load_default="", metadata=SEARCH_Q)
    sort = Text(load_default="", validate=validate.OneOf(["", "relevance", "date"]),
                metadata={"description": "relevance (default with q) or date (default without)."})
    chain_id = Id(load_default=None)
    trl_min = fields.Integer(load_default=None, validate=validate.Range(1, 9))
    trl_max = fields.Integer(load_default=None, validate=validate.Range(1, 9))
    mode = Text(load_default="", validate=validate.Length(max=20))
    org_id = Id(load_default=None)
    status = Text(load_default="", validate=validate.Length(max=20),
                  metadata={"description": "Staff only: postings of any status, or of this one."})
    mine = fields.Boolean(load_default=False, metadata={"description": "Only the caller's own postings, any status."})


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


class ResultPage(SearchPageOut):
    items = fields.List(fields.Nested(ResultOut), required=True)


class NeedPage(SearchPageOut):
    items = fields.List(fields.Nested(NeedOut), required=True)


class ReviewQueueOut(Schema):
    results = fields.List(fields.Nested(ResultOut), required=True)
    needs = fields.List(fields.Nested(NeedOut), required=True)


COMMON = ("id", "kind", "status", "title", "keywords", "modes", "reject_reason")


STAMPS = ("submitted_at", "published_at", "created_at", "updated_at")


OWN_FIELDS = {
    "result": ("summary", "innovations", "indicators", "trl", "stage", "ip_type", "patent_numbers", "price_wan",
               "expires_on"),
    "need": ("problem", "targets", "need_type", "budget_wan", "deadline", "trl_min"),
}


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
