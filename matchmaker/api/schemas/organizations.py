"""Organizations: input, output and presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import BodySchema, PageArgs, SearchPageOut, Text
from matchmaker.services import organizations

if TYPE_CHECKING:
    from matchmaker.models import Organization


class OrganizationIn(BodySchema):
    name = Text(allow_none=True)
    kind = Text(allow_none=True, metadata={"description": "university, institute, company, bureau"})
    credit_code = Text(allow_none=True, metadata={"description": "统一社会信用代码"})
    district = Text(allow_none=True)
    address = Text(allow_none=True)
    contact_name = Text(allow_none=True)
    contact_phone = Text(allow_none=True)
    contact_email = Text(allow_none=True)
    description = Text(allow_none=True)


class OrganizationListArgs(PageArgs):
    q = Text(load_default="", metadata={"description": "Words that must all occur in the name or the profile."})
    kind = Text(load_default="", validate=validate.Length(max=20))


class OrgRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


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


ORG_FIELDS = ("id", "name", "kind", "credit_code", "region_code", "district", "address", "contact_name",
              "contact_phone", "contact_email", "description")


def org_ref(org: Organization | None) -> dict[str, Any]:
    return {"id": org.id, "name": org.name} if org is not None else {"id": 0, "name": ""}


def organization(org: Organization) -> dict[str, Any]:
    return {**{name: getattr(org, name) for name in ORG_FIELDS}, "is_local": organizations.is_local(org),
            "status": org.status}


def organization_input(org: Organization) -> dict[str, Any]:
    return {name: getattr(org, name) for name in ORG_FIELDS if name not in ("id", "region_code")}
