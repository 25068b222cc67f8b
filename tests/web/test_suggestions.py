"""Suggestions on the detail pages: shown with shared terms and checklist, filtered by chain, judged by owners."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import MatchFeedback
from tests.conftest import login
from tests.services.matching.test_suggestions import ROBOT_NEED, ROBOT_RESULT


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": True}


@pytest.fixture
def robot_pair(make_posting: Any, default_chains: Any) -> tuple[Any, Any]:
    robotics = next(c for c in default_chains if c.code == "robotics")
    return (make_posting("need", chain_id=robotics.id, **ROBOT_NEED),
            make_posting("result", chain_id=robotics.id, **ROBOT_RESULT))


def test_need_page_lists_the_result_with_terms_and_checklist(client: Any, robot_pair: Any) -> None:
    need, result = robot_pair
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert result.title in page and '<mark class="term' in page and "同一产业链" in page
    assert f"/match/explain/{need.id}/{result.id}" in page


def test_suggestions_filter_by_chain(client: Any, robot_pair: Any, default_chains: Any) -> None:
    need, result = robot_pair
    storage = next(c for c in default_chains if c.code == "storage")
    filtered = client.get(f"/needs/{need.id}?match_chain={storage.id}").get_data(as_text=True)
    assert result.title not in filtered and 'id="suggestion-filter"' in filtered


def test_owner_marks_a_suggestion_useful(client: Any, robot_pair: Any) -> None:
    need, result = robot_pair
    login(client, need.owner)
    reply = client.post("/match/feedback", data={"source_kind": "need", "source_id": need.id,
                                                 "target_id": result.id, "rank": 1, "useful": "1"})
    assert reply.status_code == 302
    row = db.session.scalar(select(MatchFeedback))
    assert row is not None and row.useful and row.rank == 1 and row.target_id == result.id


def test_explanation_page_highlights_both_texts(client: Any, robot_pair: Any) -> None:
    need, result = robot_pair
    page = client.get(f"/match/explain/{need.id}/{result.id}").get_data(as_text=True)
    assert page.count('<mark class="term"') >= 4 and 'id="checklist"' in page


def test_explaining_a_draft_leaves_the_shared_index_unchanged(client: Any, robot_pair: Any,
                                                              make_posting: Any) -> None:
    """A read path never writes: the owner's draft is explained against the index without joining it."""
    from matchmaker.services.matching import index as match_index

    need, published = robot_pair
    draft = make_posting("result", owner=published.owner, status="draft", chain_id=published.chain_id,
                         title="协作机器人力控打磨系统（草稿）", keywords=["力控打磨", "协作机器人"],
                         summary=published.summary)
    state = match_index.current()
    before = (sorted(state.index.ids), len(state.index))
    login(client, published.owner)
    page = client.get(f"/match/explain/{need.id}/{draft.id}")
    assert page.status_code == 200 and '<mark class="term"' in page.get_data(as_text=True)
    after_state = match_index.current()
    assert f"result:{draft.id}" not in after_state.index
    assert (sorted(after_state.index.ids), len(after_state.index)) == before
