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
    for i in range(12):
        make_posting("need", title=f"第{i}项检测需求")
    catching_up, searches, _board = _cost(staff, monkeypatch)
    assert searches == 12  # only the needs published since are searched
    assert catching_up <= small + 10, (small, catching_up)
    large, searches, board = _cost(staff, monkeypatch)
    assert searches == 0 and large == small, (small, large)  # it was one query and one search per need
    assert small <= 40, small
    assert sum(board.funnel.total.values) >= 0 and board.gaps is not None
