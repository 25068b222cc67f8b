"""/api/v1/organizations: the public directory; staff register and correct organizations."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import OPTIONAL_AUTH, REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import organizations as organizations_schema
from matchmaker.services import organizations
from matchmaker.services.people import verification
from matchmaker.services.permissions import is_staff
from matchmaker.services.search import organizations as search_orgs

blp = api_blueprint("api_organizations", __name__, "/organizations", "单位 (organizations)")


@blp.route("")
class Organizations(MethodView):
    @blp.doc(security=OPTIONAL_AUTH)
    @blp.arguments(organizations_schema.OrganizationListArgs, location="query")
    @blp.response(200, organizations_schema.OrganizationPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Verified organizations (staff: all), of one kind or all, holding every word of `q` (name, profile)."""
        found = search_orgs.search_organizations(kind=args["kind"], q=args["q"], page=args["page"],
                                                 per_page=per_page(args), include_unverified=is_staff(actor()))
        return common_schema.search_page([organizations_schema.organization(f.item) for f in found.items], found)

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(organizations_schema.OrganizationIn)
    @blp.response(201, organizations_schema.OrganizationOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Staff: register an organization (统一社会信用代码 checked and unique)."""
        return organizations_schema.organization(organizations.create_organization(data, actor()))


@blp.route("/<int(max=2147483647):org_id>")
class Organization(MethodView):
    @blp.doc(security=OPTIONAL_AUTH)
    @blp.response(200, organizations_schema.OrganizationOut)
    def get(self, org_id: int) -> dict[str, Any]:
        """One organization (an unverified one only for staff and its own accounts)."""
        return organizations_schema.organization(organizations.get_visible_organization(org_id, actor()))

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(organizations_schema.OrganizationIn)
    @blp.response(200, organizations_schema.OrganizationOut)
    def patch(self, data: dict[str, Any], org_id: int) -> dict[str, Any]:
        """Staff: correct some fields of an organization."""
        current = organizations.get_organization(org_id)
        merged = {**organizations_schema.organization_input(current), **data}
        return organizations_schema.organization(organizations.update_organization(org_id, merged, actor()))


@blp.route("/<int(max=2147483647):org_id>/verify", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, organizations_schema.OrganizationOut)
def verify(org_id: int) -> dict[str, Any]:
    """Staff verify a pending organization; its members may then post and send requests."""
    return organizations_schema.organization(verification.verify_organization(org_id, actor()))


@blp.route("/<int(max=2147483647):org_id>/reject", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(common_schema.ReasonIn)
@blp.response(200, organizations_schema.OrganizationOut)
def reject(data: dict[str, Any], org_id: int) -> dict[str, Any]:
    """Staff refuse a pending organization, with a reason (required)."""
    return organizations_schema.organization(verification.reject_organization(org_id, data["reason"], actor()))
