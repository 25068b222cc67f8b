"""Issue 7, defect 5: one pair, one score, one scale.

The same need-result pair shows the same 0..100 number on the need's page, the result's page, the explanation
page, the event planning page, the agenda and in the API (both directions)."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Invitation, User
from matchmaker.services.matching import suggestions as matching
from tests.conftest import login

ROBOT_RESULT = dict(title="协作机器人力控打磨系统", keywords=["力控打磨", "协作机器人"],
                    summary="基于六维力传感器的协作机器人恒力打磨系统，自动识别铸件毛刺并规划打磨轨迹，适用于阀门和泵体铸件。",
                    innovations="力位混合控制。", indicators="打磨一致性误差小于零点一毫米。",
                    modes=["license"], trl=7, price_wan="40")
ROBOT_NEED = dict(title="阀门铸件毛刺自动打磨", keywords=["打磨", "铸件"],
                  problem="我公司阀门铸件毛刺目前依靠人工打磨，粉尘大、一致性差，希望引进机器人恒力打磨方案，实现自动识别毛刺。",
                  targets="节拍不超过每件三分钟。", modes=["license", "joint"], trl_min=6, budget_wan="60")
NUMBER = r"(?:匹配度\s*)?(?:<span class=\"match-score\">)?\s*([\d.]+)"


@pytest.fixture
def pair(make_posting: Callable[..., Any], make_user: Callable[..., User], default_chains: list[Chain]
         ) -> tuple[Any, Any, Chain]:
    robotics = next(c for c in default_chains if c.code == "robotics")
    result = make_posting("result", chain_id=robotics.id, **ROBOT_RESULT)
    need = make_posting("need", owner=make_user("company"), chain_id=robotics.id, **ROBOT_NEED)
    return need, result, robotics


def _card_score(html: str, href: str) -> float:
    """The score badge of the suggestion card that links to `href`."""
    cards = [c for c in html.split('class="card mb-2 suggestion"')[1:] if f'href="{href}"' in c]
    assert cards, f"no suggestion card for {href}"
    found = re.search(r'<span class="badge[^"]*"[^>]*>' + NUMBER, cards[0])
    assert found, cards[0][:500]
    return float(found.group(1))


def test_the_same_pair_shows_the_same_number_everywhere(client: FlaskClient, make_user: Callable[..., User],
                                                        pair: tuple[Any, Any, Chain]) -> None:
    need, result, robotics = pair
    expected = matching.score_percent(matching.score_pair(need, result))
    assert expected is not None and 0 < expected < 100
    assert matching.score_pair(need, result) != pytest.approx(_other_direction(need, result), abs=0.005), \
        "this pair must score differently in the two directions for the test to mean anything"

    login(client, make_user("staff"))
    on_need = _card_score(client.get(f"/needs/{need.id}").get_data(as_text=True), f"/results/{result.id}")
    on_result = _card_score(client.get(f"/results/{result.id}").get_data(as_text=True), f"/needs/{need.id}")
    explained = client.get(f"/match/explain/{need.id}/{result.id}").get_data(as_text=True)
    on_explain = float(re.search(r'<span class="badge text-bg-primary fs-6">' + NUMBER, explained).group(1))  # type: ignore[union-attr]

    event = Event(name="机器人打磨对接会", type="matchmaking", starts_at=datetime(2030, 5, 20, 9), venue="科技大厦",
                  chain_ids=[robotics.id], slot_count=3, table_count=2, meeting_cap=2,
                  presentations=[EventResult(result_id=result.id)], invitations=[Invitation(org_id=need.org_id)])
    db.session.add(event)
    db.session.commit()
    plan = client.get(f"/events/{event.id}/plan").get_data(as_text=True)
    block = plan.split('id="proposed-results"')[1].split("</label>")[0]
    assert result.title in block
    on_plan = float(re.search(r'<span class="badge[^"]*match-score[^"]*"[^>]*>([\d.]+)<', block).group(1))  # type: ignore[union-attr]
    client.post(f"/events/{event.id}/agenda/build", data={"mode": "discard"})
    agenda = client.get(f"/events/{event.id}/agenda").get_data(as_text=True)
    on_agenda = float(re.search(r'<span class="meeting-score">([\d.]+)</span>', agenda).group(1))  # type: ignore[union-attr]

    api_need = client.get(f"/api/v1/needs/{need.id}/matches?min_score=0").json["items"]
    api_result = client.get(f"/api/v1/results/{result.id}/matches?min_score=0").json["items"]
    from_need = next(i for i in api_need if i["target"]["id"] == result.id)
    from_result = next(i for i in api_result if i["target"]["id"] == need.id)

    shown = {"need page": on_need, "result page": on_result, "explanation": on_explain, "planning": on_plan,
             "agenda": on_agenda, "API from need": from_need["score_percent"],
             "API from result": from_result["score_percent"]}
    assert shown == dict.fromkeys(shown, expected)
    assert from_need["score"] == pytest.approx(from_result["score"])


def _other_direction(need: Any, result: Any) -> float:
    """The result's document scored against the need: what the result page used to show."""
    from matchmaker.services.matching import index as match_index

    hit = match_index.current().index.score_of(match_index.document_for(result), f"need:{need.id}")
    return hit.score if hit else 0.0
