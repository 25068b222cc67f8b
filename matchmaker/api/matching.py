"""/api/v1/match (free text) and /api/v1/chains (list, suggest a chain for a text)."""
from __future__ import annotations

from typing import Any

from flask import current_app

from matchmaker.api.auth import OPTIONAL_AUTH
from matchmaker.api.base import api_blueprint
from matchmaker.api.schemas import chains as chains_schema
from matchmaker.api.schemas import matching as matching_schema
from matchmaker.services import chains
from matchmaker.services.matching import suggestions as matching

match_blp = api_blueprint("api_match", __name__, "/match", "匹配 (free-text matching)")
chains_blp = api_blueprint("api_chains", __name__, "/chains", "产业链 (industrial chains)")


@match_blp.route("")
@match_blp.doc(security=OPTIONAL_AUTH)
@match_blp.arguments(matching_schema.FreeTextArgs, location="query")
@match_blp.response(200, matching_schema.MatchesOut)
def free_text(args: dict[str, Any]) -> dict[str, Any]:
    """Published results, needs or both best matching a free text, with score and shared terms."""
    k = args["k"] or current_app.config["MATCH_TOP_K"]
    found = matching.free_text(args["q"], args["kind"], k=k, chain_id=args["chain_id"])
    return {"items": [matching_schema.hit(p, h, rank) for rank, (p, h) in enumerate(found, start=1)]}


@chains_blp.route("")
@chains_blp.doc(security=OPTIONAL_AUTH)
@chains_blp.response(200, chains_schema.ChainList)
def chain_list() -> dict[str, Any]:
    """The industrial chains with their vocabulary."""
    return {"items": chains.list_chains()}


@chains_blp.route("/suggest")
@chains_blp.doc(security=OPTIONAL_AUTH)
@chains_blp.arguments(matching_schema.SuggestArgs, location="query")
@chains_blp.response(200, chains_schema.ChainSuggestions)
def suggest(args: dict[str, Any]) -> dict[str, Any]:
    """The most likely chains for a text being written."""
    found = matching.suggest_chains(args["text"], k=args["k"])
    return {"items": [{"chain": chains_schema.chain_ref(c), "score": score} for c, score in found]}
