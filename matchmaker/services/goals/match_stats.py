"""The dashboard's match figures, kept in the database: each published need's best score, how many results
matched it and which were its top hits, and the pairs of public results the engine finds near-duplicate (models
NeedMatchStat, ResultDuplicatePair, MatchStatState).

Computing them means one index search per published need (8 s for 5,000 needs), so the dashboard never does
it while it answers. A view that finds the kept rows behind the index (a later change-log position, another
statistics date, vocabulary, firm lexicon or matching setting, or older than MATCH_STATS_MAX_AGE since every
need was searched) starts one background job ("match_stats", services/jobs) and shows the kept figures, saying
when they were computed and that newer ones are on the way. Every worker and node reads the same rows.

The job searches again only the needs a change touches: needs changed or published since, needs whose kept top
results include a changed result, and the needs a changed result's own search finds (as a result page finds its
candidate needs). It searches every need after MATCH_STATS_MAX_AGE seconds (each change shifts every term's
IDF a little, so an untouched need's scores drift that long at most), after a resync or vocabulary change, or
when more than REFRESH_LIMIT postings changed at once. It searches first and writes after, in one short
transaction, and writes only if no other refresh wrote meanwhile. The near-duplicate pairs (every public result
against every other, about 2 s at 10,000 results) are compared again when a result changed or every need is
searched; the results figure reads them (duplicate_pairs), so a refresh on the way means a result published
meanwhile is merged with its engine duplicates a moment later (a duplicate_of_id link counts at once).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matchmaker.engine import Document, find_duplicates
from matchmaker.extensions import db
from matchmaker.models import Job, MatchStatState, Need, NeedMatchStat, Result, ResultDuplicatePair, User
from matchmaker.models._base import as_utc, utcnow
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services import fields
from matchmaker.services.jobs import courtesy
from matchmaker.services.jobs import queue as jobs
from matchmaker.services.matching import change_log
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.index import document_for

JOB_KIND = "match_stats"
STATE_ID = 1
REFRESH_LIMIT = 50
"""More changed postings than this since the kept rows: search every need again (cheaper than tracing)."""
_POOL = 50
"""Needs a changed result's own search nominates for a new search (a result page's pool is 2 × MATCH_TOP_K)."""
_CHUNK = 500

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Freshness:
    """How current the shown match figures are."""

    computed_at: datetime | None
    """When the kept rows were last brought up to date (None: never; the match figures are empty)."""
    refreshing: bool
    """A refresh job is queued or running: newer figures follow."""
    job: Job | None = None


def _index_key(state: match_index.LoadedIndex) -> str:
    """What besides the change-log position decides the rows: the analyzer's vocabulary, the firm lexicon, the
    top-K and the two thresholds."""
    cfg = current_app.config
    blob = "|".join((state.vocabulary, state.lexicon, str(cfg["MATCH_TOP_K"]), str(cfg["MATCH_MIN_SCORE"]),
                     str(cfg["DUPLICATE_THRESHOLD"])))
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()


def _comparable(kept: MatchStatState | None, state: match_index.LoadedIndex) -> bool:
    """Whether the kept rows can be brought forward piecemeal (else every need is searched again)."""
    if kept is None or kept.stats_date != fields.today() or kept.index_key != _index_key(state):
        return False
    age = utcnow() - as_utc(kept.full_at)
    return age < timedelta(seconds=float(current_app.config["MATCH_STATS_MAX_AGE"]))


def is_due(kept: MatchStatState | None, state: match_index.LoadedIndex) -> bool:
    """Whether the kept rows are behind this process's index."""
    return kept is None or not _comparable(kept, state) or kept.version < state.version


def _live_job() -> Job | None:
    job = db.session.scalar(select(Job).where(Job.kind == JOB_KIND, Job.status.in_(("queued", "running")))
                            .order_by(Job.created_at.desc()).limit(1))
    return None if job is None or jobs.is_stalled(job) else job


def keep_current(owner: User | None) -> Freshness:
    """Start a refresh when the kept rows are behind (unless one is on its way); say how current they are.

    A view calls this. The job it may start changes nothing anyone wrote: it recomputes derived figures.
    """
    if not match_index.enabled():
        return Freshness(None, False)
    kept = db.session.get(MatchStatState, STATE_ID)
    if not is_due(kept, match_index.current()):
        return Freshness(as_utc(kept.updated_at) if kept else None, False)
    job = _live_job() or jobs.enqueue(JOB_KIND, owner, {})
    if job.status in ("done", "failed"):  # the inline backend ran it already
        db.session.expire_all()
        kept = db.session.get(MatchStatState, STATE_ID)
        return Freshness(as_utc(kept.updated_at) if kept else None, False)
    return Freshness(as_utc(kept.updated_at) if kept else None, True, job)


def refresh_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The "match_stats" job."""
    return refresh(progress)


def refresh(progress: Progress | None = None) -> dict[str, int]:
    """Bring the kept rows up to this process's index: search the touched needs (all when needed), then write."""
    if not match_index.enabled():
        return {"searched": 0}
    state = match_index.current()
    kept = db.session.get(MatchStatState, STATE_ID)
    seen_at = as_utc(kept.updated_at) if kept else None
    if kept is not None and not is_due(kept, state):
        return {"searched": 0}
    published = set(db.session.scalars(select(Need.id).where(Need.status == "published")))
    changes = _touched(kept.version, state.version) if kept is not None and _comparable(kept, state) else None
    if changes is None:
        again, forget, compare = published, None, True
    else:
        touched, compare = changes
        have = set(db.session.scalars(select(NeedMatchStat.need_id)))
        again = (touched | (published - have)) & published
        forget = touched | (have - published)
    found = _search_needs(sorted(again), progress or (lambda _done, _total: None))
    pairs = _duplicate_pairs(state) if compare else None
    db.session.rollback()  # searching read only: the write below is a transaction of its own, and short
    if not _write(found, forget, pairs, state, seen_at):
        return {"searched": len(again), "written": 0}
    done = {"searched": len(again), "written": len(found)}
    if pairs is not None:
        done["pairs"] = len(pairs)
    return done


def duplicate_pairs(ids: Collection[int]) -> list[tuple[int, int]]:
    """The kept near-duplicate pairs among these result ids (bringing the kept rows forward first, see the module)."""
    if len(ids) < 2 or not match_index.enabled():
        return []
    keep_current(None)
    present = set(ids)
    rows = db.session.execute(select(ResultDuplicatePair.first_id, ResultDuplicatePair.second_id))
    return [(a, b) for a, b in rows if a in present and b in present]


def _write(found: list[dict[str, Any]], forget: set[int] | None, pairs: list[dict[str, Any]] | None,
           state: match_index.LoadedIndex, seen_at: datetime | None) -> bool:
    """Replace the rows (all when forget is None; the pairs unless None), unless another refresh wrote since
    `seen_at`."""
    now = utcnow()
    values = {"stats_date": fields.today(), "index_key": _index_key(state), "version": state.version,
              "updated_at": now}
    if seen_at is None:
        if db.session.get(MatchStatState, STATE_ID) is not None:
            db.session.rollback()
            return False
        db.session.add(MatchStatState(id=STATE_ID, full_at=now, **values))
        try:
            db.session.flush()
        except IntegrityError:  # the first refresh of another process got there first
            db.session.rollback()
            return False
    else:
        if forget is None:
            values["full_at"] = now
        moved = db.session.execute(update(MatchStatState).where(MatchStatState.id == STATE_ID,
                                                                MatchStatState.updated_at == seen_at)
                                   .values(**values))
        if not moved.rowcount:  # type: ignore[attr-defined]
            db.session.rollback()
            return False
    if forget is None:
        db.session.execute(delete(NeedMatchStat))
    else:
        gone = sorted(forget | {row["need_id"] for row in found})
        for start in range(0, len(gone), _CHUNK):
            db.session.execute(delete(NeedMatchStat).where(NeedMatchStat.need_id.in_(gone[start:start + _CHUNK])))
    try:
        if found:
            db.session.execute(insert(NeedMatchStat), found)
        if pairs is not None:
            db.session.execute(delete(ResultDuplicatePair))
            if pairs:
                db.session.execute(insert(ResultDuplicatePair), pairs)
        db.session.commit()
    except IntegrityError:  # a posting was deleted while it was searched: the next refresh sees it gone
        db.session.rollback()
        return False
    return True


def _touched(kept_version: int, version: int) -> tuple[set[int], bool] | None:
    """Need ids a change after `kept_version` (up to `version`) may have moved, and whether a result changed;
    None: search them all."""
    if version == kept_version:
        return set(), False
    if version < kept_version or change_log.pruned_past(db.session, kept_version):
        return None
    rows = change_log.changes_after(db.session, kept_version, REFRESH_LIMIT + 1)
    rows = [r for r in rows if r[0] <= version]  # committed after the index looked: the next refresh has them
    if len(rows) > REFRESH_LIMIT or any(kind not in match_index.MODELS or posting_id is None
                                        for _id, kind, posting_id, _op in rows):
        return None
    needs = {p for _id, kind, p, _op in rows if kind == "need" and p is not None}
    results = {p for _id, kind, p, _op in rows if kind == "result" and p is not None}
    if results:
        needs |= {need_id for need_id, tops in db.session.execute(select(NeedMatchStat.need_id, NeedMatchStat.tops))
                  if results.intersection(tops or ())}
        needs |= _nominated(results)
    return needs, bool(results)


def _nominated(result_ids: set[int]) -> set[int]:
    """Needs the changed results' own searches find (their candidate needs, as on a result page)."""
    out: set[int] = set()
    for result_id in sorted(result_ids):
        courtesy.give_way()  # never while holding the index: requests would wait for it
        with match_index.reading() as state:
            doc = state.index.get(match_index.doc_id("result", result_id))
            hits = [] if doc is None else state.index.search(doc, k=_POOL, filter=_is_need, min_score=0.0,
                                                             with_terms=False)
        out.update(match_index.parse_doc_id(h.doc_id)[1] for h in hits)
    return out


def _search_needs(need_ids: list[int], progress: Progress) -> list[dict[str, Any]]:
    """The rows of these needs: each one's top-K results (the need's own text as the query)."""
    k = int(current_app.config["MATCH_TOP_K"])
    threshold = float(current_app.config["MATCH_MIN_SCORE"])
    rows: list[dict[str, Any]] = []
    for done, docs in _documents_in_chunks(Need, need_ids, Need.status == "published"):
        for doc in docs:
            courtesy.give_way()
            with match_index.reading() as state:
                hits = state.index.search(doc, k=k, filter=_is_result, min_score=0.0, with_terms=False)
            rows.append({"need_id": match_index.parse_doc_id(doc.id)[1],
                         "best": float(hits[0].score) if hits else 0.0,
                         "matched": sum(1 for h in hits if h.score >= threshold),
                         "tops": [match_index.parse_doc_id(h.doc_id)[1] for h in hits]})
        progress(done, len(need_ids))
    return rows


def _documents_in_chunks(model: type[Need] | type[Result], ids: list[int], *where: Any
                         ) -> Iterator[tuple[int, list[Document]]]:
    """The postings' documents, _CHUNK ids at a time, with how many ids are done; gives way before each chunk
    (loading one is a burst of ORM work)."""
    for start in range(0, len(ids), _CHUNK):
        courtesy.give_way()
        rows = db.session.scalars(select(model).options(selectinload(model.chain))
                                  .where(model.id.in_(ids[start:start + _CHUNK]), *where))
        yield min(start + _CHUNK, len(ids)), [document_for(r) for r in rows]


def _duplicate_pairs(state: match_index.LoadedIndex) -> list[dict[str, Any]]:
    """The rows of every near-duplicate pair of public results (the figure keeps the research ones it counts)."""
    ids = list(db.session.scalars(select(Result.id).where(Result.status.in_(PUBLIC_STATUSES)).order_by(Result.id)))
    docs = [doc for _done, chunk in _documents_in_chunks(Result, ids) for doc in chunk]
    threshold = float(current_app.config["DUPLICATE_THRESHOLD"])
    rows = []
    for pair in find_duplicates(docs, state.analyzer, threshold=threshold, pause=courtesy.give_way):
        a, b = sorted((match_index.parse_doc_id(pair.first)[1], match_index.parse_doc_id(pair.second)[1]))
        rows.append({"first_id": a, "second_id": b, "similarity": float(pair.similarity)})
    return rows


def _is_result(value: str) -> bool:
    return value.startswith("result:")


def _is_need(value: str) -> bool:
    return value.startswith("need:")
