"""Match endpoints: suggestions both ways with score, shared terms and the checklist; free text; chains."""
from __future__ import annotations

from typing import Any

import pytest

from matchmaker.extensions import db


@pytest.fixture
def pair(make_posting: Any, default_chains: Any) -> tuple[Any, Any]:
    """A published need and result whose texts share 氟橡胶 / 密封件 / 耐高温.

    Beside them one result and one need on another subject: in an index of only the pair every shared word
    is in every document, so BM25 gives it almost no weight and the pair scores near the default threshold.
    """
    result = make_posting("result", status="published")
    need = make_posting("need", status="published", keywords=["氟橡胶", "密封件", "耐高温"])
    elsewhere = default_chains[1].id
    make_posting("result", status="published", chain_id=elsewhere, title="硅碳负极材料的预锂化工艺",
                 keywords=["硅碳负极", "预锂化"], summary="通过预锂化补偿首次循环的锂损失，提高锂离子电池首效。",
                 innovations="低成本预锂化试剂。", indicators="首次库仑效率不低于百分之九十。")
    make_posting("need", status="published", chain_id=elsewhere, title="动力电池荷电状态估算",
                 keywords=["荷电状态", "电池管理"], problem="电池管理系统估算剩余电量误差大，需要更准的算法。",
                 targets="估算误差小于百分之三。")
    return need, result


def test_need_matches_list_the_result_explained(call: Any, pair: tuple[Any, Any]) -> None:
    need, result = pair
    response = call("GET", f"/api/v1/needs/{need.id}/matches")
    assert response.status_code == 200
    hit = response.json["items"][0]
    assert hit["rank"] == 1 and hit["target"]["id"] == result.id and hit["target"]["kind"] == "result"
    assert hit["target"]["org"]["name"] == result.org.name and hit["target"]["chain"]["id"] == result.chain_id
    assert isinstance(hit["score"], float) and 0 < hit["score"] <= 1
    assert hit["terms"] and all(isinstance(t, str) for t in hit["terms"])
    assert any("密封" in t or "氟橡胶" in t for t in hit["terms"])
    assert {c["label"] for c in hit["checks"]} >= {"同一产业链", "成熟度满足要求"}
    same_chain = next(c for c in hit["checks"] if c["label"] == "同一产业链")
    assert same_chain["ok"] is True
    assert all(set(c) == {"term", "weight"} for c in hit["contributions"])


def test_result_matches_list_the_need(call: Any, pair: tuple[Any, Any]) -> None:
    need, result = pair
    items = call("GET", f"/api/v1/results/{result.id}/matches?k=5").json["items"]
    assert [h["target"]["id"] for h in items] == [need.id] and items[0]["target"]["kind"] == "need"


def test_match_parameters_filter(call: Any, pair: tuple[Any, Any], default_chains: Any) -> None:
    need, _result = pair
    url = f"/api/v1/needs/{need.id}/matches"
    assert call("GET", f"{url}?chain_id={default_chains[2].id}").json["items"] == []
    assert call("GET", f"{url}?min_score=1").json["items"] == []
    for bad in ("k=0", "k=51", "min_score=nan", "min_score=2", "chain_id=x"):
        assert call("GET", f"{url}?{bad}").status_code == 422, bad


def test_matches_of_unpublished_postings_are_for_owner_and_staff(call: Any, make_posting: Any, pair: Any,
                                                                 bearer: Any, staff: Any) -> None:
    draft = make_posting("need", status="draft", keywords=["氟橡胶", "密封件", "耐高温"])
    url = f"/api/v1/needs/{draft.id}/matches"
    assert call("GET", url).status_code == 404
    assert call("GET", url, bearer(draft.owner)).json["items"]
    assert call("GET", url, bearer(staff)).status_code == 200


def test_withdrawn_targets_drop_out(call: Any, pair: tuple[Any, Any]) -> None:
    need, result = pair
    result.status = "withdrawn"
    db.session.commit()
    assert call("GET", f"/api/v1/needs/{need.id}/matches").json["items"] == []


def test_free_text_match(call: Any, pair: tuple[Any, Any]) -> None:
    need, result = pair
    both = call("GET", "/api/v1/match?q=耐高温氟橡胶密封件").json["items"]
    assert {(h["target"]["kind"], h["target"]["id"]) for h in both} == {("need", need.id), ("result", result.id)}
    assert all(h["terms"] and h["score"] > 0 and h["checks"] == [] for h in both)
    assert [h["rank"] for h in both] == [1, 2]
    only = call("GET", "/api/v1/match?q=氟橡胶&kind=need&k=1").json["items"]
    assert [h["target"]["id"] for h in only] == [need.id]
    assert call("GET", "/api/v1/match?q=xyzzy").json["items"] == []


@pytest.mark.parametrize("query", ["", "q=", "q=x&kind=event", "q=x&k=100", "q=" + "长" * 4001])
def test_free_text_bad_parameters(call: Any, default_chains: Any, query: str) -> None:
    response = call("GET", f"/api/v1/match?{query}")
    assert response.status_code in (200, 422)
    if query in ("", "q=x&kind=event", "q=x&k=100") or len(query) > 4000:
        assert response.status_code == 422 and response.json["code"] == "validation_failed"


def test_matching_disabled_returns_empty_lists(app: Any, call: Any, pair: tuple[Any, Any]) -> None:
    app.config["MATCH_INDEX_ENABLED"] = False
    need, _result = pair
    assert call("GET", f"/api/v1/needs/{need.id}/matches").json == {"items": []}
    assert call("GET", "/api/v1/match?q=氟橡胶").json == {"items": []}
    assert call("GET", "/api/v1/chains/suggest?text=氟橡胶").json == {"items": []}


def test_chains_and_suggestion(call: Any, default_chains: Any) -> None:
    listed = call("GET", "/api/v1/chains").json["items"]
    assert [c["id"] for c in listed] == [c.id for c in default_chains]
    assert listed[0]["terms"] and listed[0]["code"] == default_chains[0].code
    suggested = call("GET", "/api/v1/chains/suggest?text=耐高温氟橡胶密封材料与有机硅单体").json["items"]
    assert suggested and suggested[0]["chain"]["code"] == default_chains[0].code
    assert all(isinstance(s["score"], float) for s in suggested)
    assert call("GET", "/api/v1/chains/suggest?text=%20").json["items"] == []
    assert call("GET", "/api/v1/chains/suggest").status_code == 422
