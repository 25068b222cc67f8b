"""The dashboard's match figures come from rows a background job keeps: a view never searches the index itself."""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.engine import Index
from matchmaker.extensions import db
from matchmaker.models import Job, MatchStatState, NeedMatchStat, ResultDuplicatePair, User
from matchmaker.models._base import utcnow
from matchmaker.services import fields
from matchmaker.services.goals import figures, match_stats, progress
from matchmaker.services.matching import index as match_index
from tests.conftest import login, make_app, wait_for_job


def test_a_view_leaves_the_searching_to_a_background_job_and_then_shows_its_figures(
        database_url: str, tmp_path: Path, app: Flask, make_user: Callable[..., User],
        make_posting: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    staff = make_user("staff")
    make_posting("result", title="高温氢燃料电池双极板涂层")
    matched = make_posting("need", title="高温氢燃料电池双极板涂层需求")
    lonely = make_posting("need", title="第一项无人应答的检测需求")
    in_view: list[str] = []
    original = Index.search
    view_thread = threading.get_ident()

    def counted(self: Index, *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == view_thread:
            in_view.append("search")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Index, "search", counted)
    threaded = make_app(database_url, tmp_path / "threaded", JOBS_BACKEND="thread")
    year = fields.today().year
    with threaded.app_context():
        user = db.session.get(User, staff.id)
        first = progress.dashboard_for(year, user)
        assert first.matching.refreshing and first.matching.computed_at is None and first.matching.job is not None
        assert first.gaps == [] and first.funnel.total.values[0] == 0
        job = wait_for_job(first.matching.job.id)
        assert job.status == "done", job.error
        second = progress.dashboard_for(year, user)
        assert not second.matching.refreshing and second.matching.computed_at is not None
        gaps = [n.id for g in second.gaps for n, _score in g.needs]
        assert lonely.id in gaps and matched.id not in gaps
        assert second.funnel.total.values[0] >= 1
        db.session.remove()
    assert in_view == [], "the view searched the index itself"


def test_a_refresh_writes_nothing_when_another_one_wrote_first(app: Flask, make_posting: Callable[..., Any]) -> None:
    make_posting("result", title="密封材料成果")
    make_posting("need", title="密封件需求")
    assert match_stats.refresh()["written"] == 1
    kept = db.session.get(MatchStatState, match_stats.STATE_ID)
    assert kept is not None
    seen_before_the_other = kept.updated_at - timedelta(seconds=1)
    moved = match_stats._write([], None, None, match_index.current(), seen_before_the_other)
    assert not moved
    assert db.session.scalar(select(func.count()).select_from(NeedMatchStat)) == 1


def test_the_dashboard_says_how_current_the_match_figures_are(client: FlaskClient, make_user: Callable[..., User],
                                                              make_posting: Callable[..., Any]) -> None:
    make_posting("need", title="第一项无人应答的检测需求")
    login(client, make_user("staff"))
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "匹配推荐与需求缺口更新于" in html and "第一项无人应答的检测需求" in html


def test_a_finished_refresh_job_leads_back_to_the_dashboard(client: FlaskClient,
                                                           make_user: Callable[..., User]) -> None:
    staff = make_user("staff")
    db.session.add(Job(id="f" * 32, kind=match_stats.JOB_KIND, owner_id=staff.id, params={}, status="running",
                       done=500, total=5000, beat_at=utcnow()))
    db.session.commit()
    login(client, staff)
    running = client.get("/jobs/" + "f" * 32).get_data(as_text=True)
    assert "正在更新匹配数据" in running and "500 / 5000" in running
    job = db.session.get(Job, "f" * 32)
    assert job is not None
    job.status = "done"
    db.session.commit()
    answer = client.get("/jobs/" + "f" * 32)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/dashboard/")


SEAL = "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用，压缩永久变形小。"
CATHODE = "从退役动力电池中高效回收镍钴锰并再生正极材料的湿法冶金工艺，回收率高，废水可循环利用。"


def _comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = match_stats.find_duplicates

    def counted(docs: Any, *args: Any, **kwargs: Any) -> Any:
        docs = list(docs)
        calls.append(len(docs))
        return original(docs, *args, **kwargs)

    monkeypatch.setattr(match_stats, "find_duplicates", counted)
    return calls


def test_the_results_figure_merges_the_kept_pairs_and_compares_again_only_when_a_result_changed(
        app: Flask, make_posting: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first = make_posting("result", title="耐高温氟橡胶密封材料", summary=SEAL)
    make_posting("result", title="锂电池正极材料回收工艺", summary=CATHODE)
    copy = make_posting("result", title="耐高温氟橡胶密封材料（二）", summary=SEAL)
    year = fields.today().year
    comparisons = _comparisons(monkeypatch)
    figure = figures.count(year, "results")
    assert comparisons == [3]  # the refresh (inline here) compared every public result once
    assert figure.actual == 2 and next(e for e in figure.evidence if e.id == first.id).merged == (copy.id,)
    assert [(p.first_id, p.second_id) for p in db.session.scalars(select(ResultDuplicatePair))] == [(first.id,
                                                                                                      copy.id)]
    assert figures.count(year, "results").actual == 2 and comparisons == [3]  # kept: nothing compared
    make_posting("need", title="密封件需求")
    assert figures.count(year, "results").actual == 2 and comparisons == [3]  # a need does not move the pairs
    make_posting("result", title="正极材料回收（转载）", summary=CATHODE)
    assert figures.count(year, "results").actual == 2 and comparisons == [3, 4]


def test_the_kept_pairs_serve_every_year(app: Flask, make_posting: Callable[..., Any]) -> None:
    """One comparison over every public result answers each year's figure (pairs are compared two by two)."""
    this_year = fields.today().year
    rows = [make_posting("result", title=f"第{i}项成果", summary=text)
            for i, text in enumerate((SEAL, SEAL, CATHODE, CATHODE))]
    for row in rows[2:]:
        row.published_at = row.published_at.replace(year=this_year - 1)
    db.session.commit()
    assert figures.count(this_year, "results").actual == 1
    assert figures.count(this_year - 1, "results").actual == 1
    assert figures.count(this_year, "results").evidence[0].merged == (rows[1].id,)
