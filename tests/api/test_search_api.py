"""The API's `q`: ranked by the match engine like the pages, with filters, pages, sort and a cut notice."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from matchmaker.models import Organization
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import postings as search
from tests import search_support

chain_of, library = search_support.chain_of, search_support.library  # the shared search fixtures

def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_q_is_ranked_by_the_engine(call: Any, library: dict[str, Any]) -> None:
    ranked = ids(call("GET", "/api/v1/results?q=机器人减速器"))
    assert ranked == [library["harmonic"].id, library["gearbox"].id]
    expected = [f.item.id for f in search.search_postings("result", PostingFilter(q="氢燃料电池")).items]
    body = call("GET", "/api/v1/results?q=氢燃料电池").json
    assert [i["id"] for i in body["items"]] == expected and len(expected) == 2
    assert (body["q"], body["sort"], body["truncated"], body["total"]) == ("氢燃料电池", "relevance", False, 2)
    assert ids(call("GET", "/api/v1/results?q=氟橡胶 密封")) == [library["seal"].id]
    assert ids(call("GET", "/api/v1/needs?q=氢燃料电池")) == [library["fuel_need"].id]


def test_q_with_filters_pages_and_sort(call: Any, library: dict[str, Any]) -> None:
    assert ids(call("GET", "/api/v1/results?q=燃料电池&trl_min=5")) == [library["plate"].id]
    first = call("GET", "/api/v1/results?q=燃料电池 减速器&per_page=3").json
    second = call("GET", "/api/v1/results?q=燃料电池 减速器&per_page=3&page=2").json
    assert first["total"] == second["total"] == 4 and first["pages"] == 2
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    dated = call("GET", "/api/v1/results?q=燃料电池 减速器&sort=date").json
    assert dated["sort"] == "date" and [i["id"] for i in dated["items"]] == sorted(
        (i["id"] for i in dated["items"]), reverse=True)
    assert call("GET", "/api/v1/results").json["sort"] == "date"


def test_a_long_q_is_cut_not_refused(app: Flask, call: Any, library: dict[str, Any]) -> None:
    body = call("GET", "/api/v1/results?q=" + "燃料电池" * 100).json
    assert body["truncated"] is True and len(body["q"]) == app.config["SEARCH_MAX_CHARS"] and body["total"] == 2


def test_organizations_q_takes_every_word(call: Any, make_org: Callable[..., Organization]) -> None:
    chem = make_org(name="淄博某化工有限公司")
    make_org(name="青岛某化工集团")
    make_org(name="百分之100%检测中心")
    assert ids(call("GET", "/api/v1/organizations?q=淄博化工")) == [chem.id]
    assert len(ids(call("GET", "/api/v1/organizations?q=化工"))) == 2
    assert len(ids(call("GET", "/api/v1/organizations?q=%25"))) == 1
    assert ids(call("GET", "/api/v1/organizations?q=_")) == []
