"""Industry chains: output and presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields

if TYPE_CHECKING:
    from matchmaker.models import Chain


class ChainRef(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class ChainOut(ChainRef):
    description = fields.String(required=True)
    terms = fields.List(fields.String(), required=True)


class ChainList(Schema):
    items = fields.List(fields.Nested(ChainOut), required=True)


class ChainSuggestionOut(Schema):
    chain = fields.Nested(ChainRef, required=True)
    score = fields.Float(required=True)


class ChainSuggestions(Schema):
    items = fields.List(fields.Nested(ChainSuggestionOut), required=True)


def chain_ref(chain: Chain | None) -> dict[str, Any] | None:
    return None if chain is None else {"id": chain.id, "code": chain.code, "name": chain.name}
