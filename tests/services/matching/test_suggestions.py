"""The matching service: suggestions both ways, index lifecycle across workers, duplicates, feedback."""
from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import update

from matchmaker.extensions import db
from matchmaker.models import IndexChange, Result
from matchmaker.services.errors import PermissionDenied
from matchmaker.services.goals import funnel
from matchmaker.services.matching import change_log, feedback
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.postings import lifecycle as postings

ROBOT_RESULT = dict(title="协作机器人力控打磨系统", keywords=["力控打磨", "协作机器人"],
                    summary="基于六维力传感器的协作机器人恒力打磨系统，自动识别铸件毛刺并规划打磨轨迹，适用于阀门和泵体铸件。",
                    modes=["license"], trl=7, price_wan="40")
ROBOT_NEED = dict(title="阀门铸件毛刺自动打磨", keywords=["打磨", "铸件"],
                  problem="我公司阀门铸件毛刺目前依靠人工打磨，粉尘大、一致性差，希望引进机器人恒力打磨方案，实现自动识别毛刺。",
                  modes=["license", "joint"], trl_min=6, budget_wan="60")
OTHER_RESULT = dict(title="固态电解质锂电池隔膜", keywords=["固态电解质"],
                    summary="一种用于储能电池的陶瓷涂覆隔膜与固态电解质复合膜，提高热稳定性，降低内短路风险。")


@pytest.fixture
def pair(make_posting: Any, default_chains: Any) -> tuple[Any, Any, Any]:
    robotics = next(c for c in default_chains if c.code == "robotics")
    result = make_posting("result", chain_id=robotics.id, **ROBOT_RESULT)
    other = make_posting("result", **OTHER_RESULT)
    need = make_posting("need", chain_id=robotics.id, **ROBOT_NEED)
    return need, result, other


def test_need_suggests_the_matching_result_first_with_terms_and_checks(app: Any, pair: Any) -> None:
    need, result, other = pair
    found = matching.suggestions_for("need", need, None, min_score=0.0)
    assert found and found[0].target.id == result.id
    assert any("打磨" in t for t in found[0].terms)
    checks = {c.label: c.ok for c in found[0].checks}
    assert checks["同一产业链"] is True and checks["成熟度满足要求"] is True
    assert checks["合作方式一致"] is True and checks["价格在预算内"] is True
    assert all(s.target.id != other.id or s.score < found[0].score for s in found)


def test_result_suggests_needs_both_ways(app: Any, pair: Any) -> None:
    need, result, _other = pair
    found = matching.suggestions_for("result", result, None, min_score=0.0)
    assert [s.target.id for s in found][:1] == [need.id]


def test_chain_filter_and_min_score(app: Any, pair: Any, default_chains: Any) -> None:
    need, _result, _other = pair
    storage = next(c for c in default_chains if c.code == "storage")
    assert matching.suggestions_for("need", need, None, chain_id=storage.id, min_score=0.0) == []
    assert matching.suggestions_for("need", need, None, min_score=0.999) == []


def test_withdrawn_result_leaves_suggestions(app: Any, pair: Any) -> None:
    need, result, _other = pair
    assert matching.suggestions_for("need", need, None, min_score=0.0)[0].target.id == result.id
    postings.withdraw_posting("result", result.id, result.owner)
    assert all(s.target.id != result.id for s in matching.suggestions_for("need", need, None, min_score=0.0))


def test_a_worker_catches_up_when_another_changes_the_database(app: Any, pair: Any) -> None:
    need, result, _other = pair
    before = match_index.current()
    assert match_index.doc_id("result", result.id) in before.index
    # Another worker withdraws the result: only the database and its change log change, nothing in this process.
    db.session.execute(update(Result).where(Result.id == result.id).values(status="withdrawn"))
    db.session.add(IndexChange(kind="result", posting_id=result.id, op="remove"))
    db.session.commit()
    time.sleep(app.config["MATCH_INDEX_MAX_STALENESS"])
    after = match_index.current()
    assert match_index.doc_id("result", result.id) not in after.index
    assert after.version == change_log.newest(db.session)


def test_restarted_worker_loads_the_saved_index(app: Any, pair: Any) -> None:
    built = match_index.rebuild()
    match_index.forget()
    loaded = match_index.current()
    assert loaded is not built and set(loaded.index.ids) == set(built.index.ids)
    need = pair[0]
    assert matching.suggestions_for("need", need, None, min_score=0.0)[0].target.id == pair[1].id


def test_chain_suggestion_from_text(app: Any, default_chains: Any) -> None:
    found = matching.suggest_chains("含氟聚合物与有机硅单体的合成工艺，提升氟橡胶耐油性")
    assert found and found[0][0].code == "fluorosilicon"


def test_near_duplicate_is_flagged_on_submit(app: Any, pair: Any, make_user: Any) -> None:
    _need, result, _other = pair
    owner = make_user("researcher")
    copy = dict(ROBOT_RESULT, summary=ROBOT_RESULT["summary"].replace("阀门", "阀体"))
    draft = postings.create_posting("result", {**_as_form(copy), "chain_id": result.chain_id}, owner)
    postings.submit_posting("result", draft.id, owner)
    assert draft.duplicate_of_id == result.id and draft.duplicate_score >= app.config["DUPLICATE_THRESHOLD"]


def test_explanation_spans_cover_shared_terms(app: Any, pair: Any) -> None:
    need, result, _other = pair
    explained = matching.explain_pair(need, result, None)
    assert explained.explanation is not None
    marked = [result.body[s.start:s.end] for s in explained.explanation.doc_spans if s.field == "text"]
    assert any("打磨" in m for m in marked)


def test_feedback_and_precision_at_5(app: Any, pair: Any, make_user: Any) -> None:
    need, result, other = pair
    staff, stranger = make_user("staff"), make_user("company")
    with pytest.raises(PermissionDenied):
        feedback.record_feedback(stranger, "need", need.id, result.id, True, 1)
    feedback.record_feedback(staff, "need", need.id, result.id, True, 1)
    feedback.record_feedback(need.owner, "need", need.id, other.id, False, 2)
    feedback.record_feedback(need.owner, "need", need.id, other.id, True, 2)  # changed mind: replaced, not added
    rows = feedback.precision_at_5(staff)
    assert [(r.judged, r.useful) for r in rows] == [(2, 2)]


def test_the_gap_list_holds_needs_without_a_good_result(app: Any, make_posting: Any) -> None:
    lonely = make_posting("need", title="啤酒酵母菌种改良", keywords=["酵母"],
                          problem="精酿啤酒发酵周期长，风味不稳定，寻找耐高浓度酵母菌种选育与驯化技术支持。")
    assert lonely.id in [n.id for n, _score in funnel.gap_needs()]


def _as_form(data: dict[str, Any]) -> dict[str, Any]:
    return {"contact_phone": "13800000000", "stage": "pilot", "ip_type": "none", "modes": ["license"], **data}



def _listed(found: list[Any]) -> list[Any]:
    return [(s.target.kind, s.target.id, s.score, s.terms, s.contributions, s.checks) for s in found]


def test_kept_engine_answers_change_no_suggestion(app: Any, pair: Any, make_posting: Any) -> None:
    """A page viewed again is answered from the kept engine answers: the same lists and scores as computed
    afresh; a published posting (an index change) is suggested at once, and a withdrawal read from the database
    drops its posting even before the index hears of it."""
    need, result, _other = pair
    for kind, posting in (("need", need), ("result", result)):
        first = _listed(matching.suggestions_for(kind, posting, None, min_score=0.0))
        assert _listed(matching.suggestions_for(kind, posting, None, min_score=0.0)) == first
        matching._memo.clear()
        assert _listed(matching.suggestions_for(kind, posting, None, min_score=0.0)) == first
    newer = make_posting("result", **{**ROBOT_RESULT, "title": "铸件毛刺机器人恒力打磨工作站"})
    found = matching.suggestions_for("need", need, None, min_score=0.0)
    assert newer.id in [s.target.id for s in found]
    matching._memo.clear()
    assert _listed(matching.suggestions_for("need", need, None, min_score=0.0)) == _listed(found)
    # another worker withdraws it: this process's index still holds it, the database no longer publishes it
    db.session.execute(update(Result).where(Result.id == newer.id).values(status="withdrawn"))
    db.session.commit()
    assert newer.id not in [s.target.id for s in matching.suggestions_for("need", need, None, min_score=0.0)]
