"""The change log keeps each worker's index current in O(changes), within the staleness bound, off the write path."""
from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from matchmaker.extensions import db
from matchmaker.models import IndexChange, Need, Result
from matchmaker.models._base import utcnow
from matchmaker.services import chains
from matchmaker.services.matching import change_log
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.postings import lifecycle as postings

BOUND = 0.3


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_MAX_STALENESS": BOUND}


@contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Counts SQL statements sent and posting rows loaded while the block runs."""
    seen = {"statements": 0, "postings": 0}

    def statement(*_args: Any) -> None:
        seen["statements"] += 1

    def loaded(*_args: Any) -> None:
        seen["postings"] += 1

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(Result, "load", loaded)
    event.listen(Need, "load", loaded)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(Result, "load", loaded)
        event.remove(Need, "load", loaded)


def _published_elsewhere(posting: Result | Need) -> None:
    """What another worker's publish leaves in the database: the row and its change-log entry, no local hint."""
    db.session.execute(update(type(posting)).where(type(posting).id == posting.id).values(status="published"))
    db.session.add(IndexChange(kind=posting.kind, posting_id=posting.id, op="upsert"))
    db.session.commit()


def test_another_workers_publish_is_found_within_the_bound(app: Any, make_posting: Any) -> None:
    make_posting("result", title="无关的锂电池隔膜成果")
    match_index.current()
    pending = make_posting("result", status="pending", title="协作机器人力控打磨系统", keywords=["力控打磨"])
    _published_elsewhere(pending)
    committed = time.monotonic()
    while not matching.free_text("力控打磨", "result", min_score=0.0):
        assert time.monotonic() - committed <= BOUND + 0.5, "not searchable within the staleness bound"
        time.sleep(0.02)
    assert matching.free_text("力控打磨", "result", min_score=0.0)[0][0].id == pending.id


def test_a_catch_up_after_one_change_reads_one_posting(app: Any, make_posting: Any) -> None:
    made = [make_posting("result", title=f"第{i}号耐高温密封材料") for i in range(30)]
    state = match_index.current()
    assert len(state.index) == 30
    postings.withdraw_posting("result", made[3].id, made[3].owner)  # this process: due at once
    with counting() as seen:
        after = match_index.current()
    assert match_index.doc_id("result", made[3].id) not in after.index and len(after.index) == 29
    assert seen["postings"] <= 1 and seen["statements"] <= 5, seen
    assert after is state, "applied in place, no rebuild"


def test_no_change_costs_one_query_and_none_within_the_bound(app: Any, make_posting: Any) -> None:
    make_posting("result")
    match_index.current()
    with counting() as seen:
        match_index.current()
    assert seen["statements"] == 0  # checked a moment ago: answered from memory
    time.sleep(BOUND)
    with counting() as seen:
        match_index.current()
    assert seen["statements"] == 1 and seen["postings"] == 0


def test_no_catch_up_inside_a_writing_transaction(app: Any, make_posting: Any) -> None:
    result = make_posting("result")
    match_index.current()
    postings.withdraw_posting("result", result.id, result.owner)
    other = make_posting("result", status="draft", title="另一项草稿成果")
    other.title = "改过的标题"
    db.session.flush()  # the caller holds the write lock now
    with counting() as seen:
        state = match_index.current()
    assert seen["statements"] == 0 and match_index.doc_id("result", result.id) in state.index  # stale, no wait
    db.session.commit()
    assert match_index.doc_id("result", result.id) not in match_index.current().index


def test_a_vocabulary_change_rebuilds(app: Any, make_posting: Any, make_user: Any, default_chains: Any) -> None:
    make_posting("result")
    before = match_index.current()
    staff = make_user("staff")
    chain = default_chains[0]
    chains.update_chain(chain.id, {"name": chain.name, "description": chain.description,
                                   "terms": [*chain.terms, "全新专有名词"]}, staff)
    after = match_index.current()
    assert after is not before and after.vocabulary != before.vocabulary and len(after.index) == 1


def test_old_changes_are_pruned_and_a_worker_behind_them_resyncs(app: Any, make_posting: Any) -> None:
    kept = make_posting("result", title="保留的成果")
    match_index.current()
    gone = make_posting("result", title="将撤回的成果")
    db.session.execute(update(IndexChange).values(created_at=utcnow() - timedelta(days=3)))
    db.session.execute(update(Result).where(Result.id == gone.id).values(status="withdrawn"))
    db.session.commit()
    stale = match_index.LoadedIndex(1, match_index.current().vocabulary, match_index.current().analyzer,
                                    match_index.current().index, dict(match_index.current().stamps))
    db.session.add(IndexChange(kind="result", posting_id=kept.id, op="upsert"))
    db.session.commit()
    assert change_log.prune(db.session) >= 2
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(IndexChange)) == 1
    from sqlalchemy.orm import Session

    with Session(db.engine) as session:
        assert change_log.pruned_past(session, stale.version)
        fresh = match_index._refreshed(session, stale)
    assert match_index.doc_id("result", gone.id) not in fresh.index
    assert match_index.doc_id("result", kept.id) in fresh.index


def test_an_organization_page_costs_the_same_however_many_postings(app: Any, make_posting: Any, make_user: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from matchmaker.engine import Index

    robot = make_posting("result", title="协作机器人力控打磨系统", keywords=["力控打磨", "协作机器人"],
                         summary="基于力传感器的协作机器人恒力打磨系统，自动识别铸件毛刺。")
    make_posting("result", title="固态电解质锂电池隔膜", keywords=["固态电解质"])
    company = make_user("company")
    make_posting("need", owner=company, title="阀门铸件毛刺自动打磨", keywords=["打磨", "铸件"],
                 problem="希望引进协作机器人恒力打磨方案，自动识别铸件毛刺。")
    searches = {"n": 0}
    original = Index.search

    def counted(self: Index, *args: Any, **kwargs: Any) -> Any:
        searches["n"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Index, "search", counted)
    costs = []
    for extra in (0, 3 * matching.ORG_SOURCES):
        for i in range(extra):
            older = make_posting("need", owner=company, title=f"第{i}项检测设备需求", keywords=[f"检测{i}"])
            earlier = utcnow() - timedelta(days=9)
            db.session.execute(update(Need).where(Need.id == older.id).values(published_at=earlier))
        db.session.commit()
        match_index.current()
        searches["n"] = 0
        with counting() as seen:
            found = matching.suggestions_for_org(company.org, company)
        costs.append((searches["n"], seen["statements"]))
        assert found and found[0][1].target.id == robot.id and found[0][0].title == "阀门铸件毛刺自动打磨"
        assert found[0][1].score >= app.config["MATCH_MIN_SCORE"] and found[0][1].checks
    assert costs[1][0] <= matching.ORG_SOURCES and costs[1][1] <= 4 * matching.ORG_SOURCES, costs


@pytest.mark.parametrize("freeze", [True, False])
def test_a_loaded_index_is_kept_out_of_the_cycle_collectors_way(app: Any, make_posting: Any, freeze: bool) -> None:
    make_posting("result", title="耐高温氟橡胶密封材料")
    app.config["MATCH_INDEX_FREEZE_GC"] = freeze
    match_index.forget()
    gc.unfreeze()
    try:
        state = match_index.current()
        walked = {id(o) for o in gc.get_objects()}  # what a full collection walks (not the frozen generation)
        assert (id(state.index.docs) not in walked) is freeze
        assert (gc.get_freeze_count() > 0) is freeze
    finally:
        gc.unfreeze()
        match_index.forget()
