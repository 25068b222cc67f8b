"""The dashboard's cost does not grow with the published postings: a few queries, engine work kept per date."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from matchmaker.engine import Index
from matchmaker.extensions import db
from matchmaker.services.goals import progress
from matchmaker.web.dashboard import charts


@pytest.fixture
def app_config() -> dict[str, Any]:
    # as deployed: the index looks at the change log at most once a minute (and at once after this process
    # writes), not on every search as the other tests have it
    return {"MATCH_INDEX_MAX_STALENESS": 60.0}


def _cost(staff: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, Any]:
    seen = {"statements": 0, "searches": 0}
    original = Index.search

    def counted(self: Index, *args: Any, **kwargs: Any) -> Any:
        seen["searches"] += 1
        return original(self, *args, **kwargs)

    def statement(*_args: Any) -> None:
        seen["statements"] += 1

    monkeypatch.setattr(Index, "search", counted)
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        board = progress.dashboard_for(date.today().year, staff)
        charts.chart_payload(board)
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        monkeypatch.undo()
    return seen["statements"], seen["searches"], board


def test_dashboard_queries_stay_few_and_searches_are_kept(app: Any, make_posting: Any, make_user: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    staff = make_user("staff")
    for i in range(3):
        make_posting("need", title=f"第{i}项密封件需求")
        make_posting("result", title=f"第{i}项密封材料成果")
    _cost(staff, monkeypatch)  # computes and keeps the per-need searches
    small, searches, _board = _cost(staff, monkeypatch)
    assert searches == 0
    make_posting("need", title="第一项检测需求")
    catching_one, searches, _board = _cost(staff, monkeypatch)
    assert searches == 1
    for i in range(12):
        make_posting("need", title=f"第{i}项检测需求")
    catching_up, searches, _board = _cost(staff, monkeypatch)
    assert searches == 12  # only the needs published since are searched
    # the refresh job (run inline here) costs the same few statements however many needs it searches
    assert catching_up <= catching_one + 2, (catching_one, catching_up)
    large, searches, board = _cost(staff, monkeypatch)
    # it was one query and one search per need; now + one query for the gap rows (none while every need matched)
    assert searches == 0 and large <= small + 1, (small, large)
    assert small <= 40, small
    assert sum(board.funnel.total.values) >= 0 and board.gaps is not None


def test_a_published_result_fills_a_gap_on_the_next_view(app: Any, make_posting: Any, make_user: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    staff = make_user("staff")
    make_posting("result", title="第一项密封材料成果")
    need = make_posting("need", title="高温氢燃料电池双极板涂层需求")
    _cost(staff, monkeypatch)
    _s, _n, board = _cost(staff, monkeypatch)
    assert need.id in [n.id for g in board.gaps for n, _score in g.needs]
    make_posting("result", title="高温氢燃料电池双极板涂层")
    _s, searches, board = _cost(staff, monkeypatch)
    assert 0 < searches < 5  # the touched need and the new result's own search, not every need
    assert need.id not in [n.id for g in board.gaps for n, _score in g.needs]


def test_kept_scores_equal_a_fresh_recomputation(app: Any, make_posting: Any, make_user: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from matchmaker.models import MatchStatState, NeedMatchStat

    staff = make_user("staff")
    for i in range(4):
        make_posting("need", title=f"第{i}项密封件检测需求")
        make_posting("result", title=f"第{i}项密封材料成果")
    _cost(staff, monkeypatch)
    make_posting("result", title="密封件检测成果")
    _s, _n, kept = _cost(staff, monkeypatch)
    db.session.execute(db.delete(NeedMatchStat))
    db.session.execute(db.delete(MatchStatState))
    db.session.commit()
    _s, _n, fresh = _cost(staff, monkeypatch)
    assert kept.funnel == fresh.funnel
    assert [(g.chain_id, [(n.id, s) for n, s in g.needs]) for g in kept.gaps] == \
        [(g.chain_id, [(n.id, s) for n, s in g.needs]) for g in fresh.gaps]
