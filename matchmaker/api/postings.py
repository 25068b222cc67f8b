"""/api/v1/results and /api/v1/needs: browse, read, post, edit, submit, withdraw, review, matches."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from matchmaker.api.auth import OPTIONAL_AUTH, REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import matching as matching_schema
from matchmaker.api.schemas import postings as postings_schema
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import review
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import postings as search

ID = "<int(max=2147483647):posting_id>"
KINDS: dict[str, dict[str, Any]] = {
    "result": {"name": "results", "label": "科技成果 (research results)", "in": postings_schema.ResultIn,
               "create": postings_schema.CreateResult, "out": postings_schema.ResultOut,
               "page": postings_schema.ResultPage,
               "example": postings_schema.RESULT_EXAMPLE},
    "need": {"name": "needs", "label": "技术需求 (technology needs)", "in": postings_schema.NeedIn,
             "create": postings_schema.CreateNeed, "out": postings_schema.NeedOut, "page": postings_schema.NeedPage,
             "example": postings_schema.NEED_EXAMPLE},
}


def _filter(args: dict[str, Any]) -> PostingFilter:
    status = args["status"]
    return PostingFilter(q=args["q"], chain_id=args["chain_id"], trl_min=args["trl_min"], trl_max=args["trl_max"],
                         mode=args["mode"], org_id=args["org_id"], status="" if status == "any" else status)


def _list(kind: str, args: dict[str, Any]) -> dict[str, Any]:
    """Published postings; `mine` for the caller's own, `status` (staff) for any status."""
    size, number = per_page(args), args["page"]
    if args["mine"]:
        rows, total = postings.list_mine(kind, actor(), page=number, per_page=size)
    elif args["status"]:
        rows, total = postings.list_for_staff(kind, _filter(args), actor(), page=number, per_page=size)
    else:
        found = search.search_postings(kind, _filter(args), sort=args["sort"], page=number, per_page=size)
        return common_schema.search_page([postings_schema.posting(f.item, actor()) for f in found.items], found)
    return common_schema.page([postings_schema.posting(p, actor()) for p in rows], total, number, size)


def make_blueprint(kind: str) -> Blueprint:
    """The resource of one posting kind."""
    spec = KINDS[kind]
    out: type[Schema] = spec["out"]
    blp = api_blueprint(f"api_{spec['name']}", __name__, f"/{spec['name']}", spec["label"])

    @blp.route("")
    class Collection(MethodView):
        @blp.doc(security=OPTIONAL_AUTH)
        @blp.arguments(postings_schema.PostingListArgs, location="query")
        @blp.response(200, spec["page"])
        def get(self, args: dict[str, Any]) -> dict[str, Any]:
            """List with filters and pagination (published ones unless `mine` or, for staff, `status`)."""
            return _list(kind, args)

        @blp.doc(security=REQUIRED_AUTH)
        @blp.arguments(spec["create"], example=spec["example"])
        @blp.response(201, out)
        def post(self, data: dict[str, Any]) -> dict[str, Any]:
            """Create a draft (researchers post results, companies post needs, staff either); `submit` sends it on."""
            submit = data.pop("submit", False)
            return postings_schema.posting(postings.create_posting(kind, data, actor(), submit=submit), actor())

    @blp.route(f"/{ID}")
    class Item(MethodView):
        @blp.doc(security=OPTIONAL_AUTH)
        @blp.response(200, out)
        def get(self, posting_id: int) -> dict[str, Any]:
            """One posting; contact details masked unless the caller owns it or is staff."""
            return postings_schema.posting(postings.get_posting(kind, posting_id, actor()), actor())

        @blp.doc(security=REQUIRED_AUTH)
        @blp.arguments(spec["in"])
        @blp.response(200, out)
        def patch(self, data: dict[str, Any], posting_id: int) -> dict[str, Any]:
            """Change some fields (owner or staff); an owner's edit of a published posting goes back to review."""
            current = postings.get_posting(kind, posting_id, actor())
            merged = {**postings_schema.editable(current), **data}
            return postings_schema.posting(postings.update_posting(kind, posting_id, merged, actor()), actor())

    def action(verb: str, doc: str, call: Any) -> None:
        @blp.route(f"/{ID}/{verb}", methods=["POST"], endpoint=verb)
        @blp.doc(security=REQUIRED_AUTH, summary=doc)
        @blp.response(200, out)
        def view(posting_id: int) -> dict[str, Any]:
            return postings_schema.posting(call(kind, posting_id, actor()), actor())

    action("submit", "Send a draft, rejected or withdrawn posting to review", postings.submit_posting)
    action("withdraw", "Take a pending or published posting off the platform", postings.withdraw_posting)
    action("publish", "Staff: publish a pending posting", review.publish_posting)

    @blp.route(f"/{ID}/reject", methods=["POST"])
    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(postings_schema.RejectIn)
    @blp.response(200, out)
    def reject(data: dict[str, Any], posting_id: int) -> dict[str, Any]:
        """Staff: reject a pending posting with a reason the owner will see."""
        return postings_schema.posting(review.reject_posting(kind, posting_id, data["reason"], actor()), actor())

    @blp.route(f"/{ID}/matches")
    @blp.doc(security=OPTIONAL_AUTH)
    @blp.arguments(matching_schema.MatchArgs, location="query")
    @blp.response(200, matching_schema.MatchesOut)
    def matches(args: dict[str, Any], posting_id: int) -> dict[str, Any]:
        """Best published postings of the other kind, each with score, shared terms and the checklist."""
        posting = postings.get_posting(kind, posting_id, actor())
        found = matching.suggestions_for(kind, posting, actor(), chain_id=args["chain_id"], k=args["k"],
                                         min_score=args["min_score"])
        return {"items": [matching_schema.suggestion(s) for s in found]}

    return blp


results_blp = make_blueprint("result")
needs_blp = make_blueprint("need")
review_blp = api_blueprint("api_review", __name__, "/review", "审核 (staff review queue)")


@review_blp.route("")
@review_blp.doc(security=REQUIRED_AUTH)
@review_blp.response(200, postings_schema.ReviewQueueOut)
def queue() -> dict[str, Any]:
    """Staff: pending results and needs, oldest submission first."""
    return {"results": [postings_schema.posting(p, actor()) for p in review.review_queue("result", actor())],
            "needs": [postings_schema.posting(p, actor()) for p in review.review_queue("need", actor())]}
