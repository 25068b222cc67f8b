"""The per-process match index and how it follows the database.

The database is the one source of truth. Each process keeps an engine Index of every published result and need
(ids "result:12", "need:7"), the id of the last change-log row it applied (services/matching/change_log.py) and
each document's updated_at stamp.

Bounded staleness: `current()` answers from memory. At most once every MATCH_INDEX_MAX_STALENESS seconds (and
right after this process commits a change) one request thread reads the change rows above the last applied id
(one indexed query, usually empty) and loads just those postings by id; threads arriving meanwhile keep using the
index as it is, without waiting. So a commit in another worker is searchable here within
MATCH_INDEX_MAX_STALENESS seconds plus the time to tokenize what changed, and in this worker at once. The
catch-up reads through its own short session and is skipped while the caller's transaction has written (a
stale answer then), so it never runs inside a writing transaction or holds a database write lock.

A change of the chains' vocabulary changes the analyzer and forces a full rebuild; a bulk write ("resync"), a
batch too large to apply piecemeal or change rows pruned before this worker saw them make it compare every
published posting's stamp once (re-tokenizing only what changed). Full builds are saved under INDEX_DIR
(services/matching/saved.py) so a restarted worker loads instead of re-tokenizing.
"""
from __future__ import annotations

import gc
import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.engine import Analyzer, ChainClassifier, Document, Index, Synonyms, build_index
from matchmaker.engine import Chain as EngineChain
from matchmaker.engine.analyzer import read_userdict
from matchmaker.engine.synonyms import ALL_CHAINS
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.matching import change_log, saved

MODELS: dict[str, type[Result] | type[Need]] = {"result": Result, "need": Need}
BATCH_LIMIT = 2000
"""More change rows than this at once (a worker far behind) are handled by one full stamp comparison."""
DOCUMENT_SHAPE = 2
"""Bumped when `document_for` changes what goes into a document: saved indexes of another shape are rebuilt."""
_FEW = 32  # up to this many documents go in as engine deltas; more are added in one rebuild


@dataclass
class LoadedIndex:
    """What one process holds for one database."""

    version: int
    """Id of the last change-log row applied (-1: nothing read yet)."""
    vocabulary: str
    analyzer: Analyzer
    index: Index
    stamps: dict[str, str] = field(default_factory=dict)
    fitted_classifier: ChainClassifier | None = None
    """Fitted on first use after the indexed documents change (not on every publish)."""
    checked_at: float = 0.0
    """time.monotonic() of the last look at the change log."""
    lexicon: str = ""
    """Key of the firm vocabulary (synonyms) the index expands queries with ("" before any is set)."""
    generation: int = field(default_factory=lambda: next(_generations))
    """Distinct for every index this process builds or loads (caches derived from an index key on it)."""

    def classifier(self) -> ChainClassifier:
        """The chain classifier trained on the currently indexed (published) postings."""
        fitted = self.fitted_classifier
        if fitted is None:
            chains = list(db.session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)))
            with _lock:
                fitted = self.fitted_classifier = _classifier(self.analyzer, chains, _all_docs(self))
        return fitted


_states: dict[str, LoadedIndex] = {}
_generations = itertools.count(1)
_analyzers: dict[str, Analyzer] = {}
_shipped: dict[str, dict[str, Any]] = {}
_lock = threading.RLock()
"""Guards the in-memory indexes: held while searching or changing one (never while reading the database)."""
_refreshing = threading.Lock()
"""Held by the one thread reading the change log; others answer from memory meanwhile."""
_due_now: set[str] = set()
"""Databases this process just committed a change to: look at the change log on the next call."""


def enabled() -> bool:
    """False where the app runs without a match index (some tests switch it off)."""
    return bool(current_app.config.get("MATCH_INDEX_ENABLED", True))


def doc_id(kind: str, posting_id: int) -> str:
    return f"{kind}:{posting_id}"


def parse_doc_id(value: str) -> tuple[str, int]:
    kind, _sep, number = value.partition(":")
    return kind, int(number)


def document_for(posting: Result | Need) -> Document:
    """The engine's view of a posting: title, keywords, stated indicators and narrative; chain as its code.

    Indicators are their own field (weighted like the title): on the graded firm needs that lifted
    paragraph needs' P@5 from 0.640 to 0.680 (bench/README.md, "fields").
    """
    return Document(id=doc_id(posting.kind, posting.id), title=posting.title, text=posting.narrative,
                    keywords=tuple(posting.keywords or ()), chain=posting.chain.code if posting.chain else None,
                    indicators=posting.stated_indicators)


def _stamp(posting: Result | Need) -> str:
    return f"{posting.updated_at.isoformat() if posting.updated_at else ''}|{posting.chain_id}"


def _chains(session: Session) -> list[Chain]:
    return list(session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)))


def _vocabulary(chains: Iterable[Chain]) -> str:
    blob = json.dumps([DOCUMENT_SHAPE, [[c.code, sorted(c.terms or [])] for c in chains]], ensure_ascii=False)
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:16]


def _shipped_synonyms() -> dict[str, Any]:
    """corpus/synonyms.json as written (chain code -> firm word -> terms); the default of every chain."""
    path = Path(current_app.config["CORPUS_DIR"]) / "synonyms.json"
    key = str(path)
    if key not in _shipped:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        _shipped[key] = {k: v for k, v in data.items() if not k.startswith("_")}
    return _shipped[key]


def synonyms_of(chain: Chain) -> dict[str, list[str]]:
    """The chain's firm vocabulary: what staff saved, or the shipped one while nobody has edited it."""
    if chain.synonyms is not None:
        return dict(chain.synonyms)
    return {w: list(ts) for w, ts in _shipped_synonyms().get(chain.code, {}).items()}


def _lexicon_key(chains: Iterable[Chain]) -> str:
    blob = json.dumps([[c.code, c.synonyms] for c in chains], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:16]


def _use_lexicon(state: LoadedIndex, chains: list[Chain]) -> None:
    """Expand queries with the chains' current firm vocabulary (query side only: nothing is re-tokenized)."""
    key = _lexicon_key(chains)
    if state.lexicon == key:
        return
    table = {ALL_CHAINS: _shipped_synonyms().get(ALL_CHAINS, {}), **{c.code: synonyms_of(c) for c in chains}}
    with _lock:
        state.index.set_synonyms(Synonyms.from_mapping(table))
        state.lexicon = key
        state.generation = next(_generations)  # searches cached on the old generation expanded differently


def analyzer_for(chains: list[Chain], vocabulary: str) -> Analyzer:
    """The analyzer for this vocabulary: user dictionary + the chains' current terms + stopwords (cached)."""
    with _lock:
        if vocabulary not in _analyzers:
            corpus = Path(current_app.config["CORPUS_DIR"])
            words = list(read_userdict(corpus / "userdict.txt"))
            words += [(t, None, None) for c in chains for t in (c.terms or [])]
            stop = corpus / "stopwords.txt"
            stops = stop.read_text(encoding="utf-8").splitlines() if stop.exists() else []
            _analyzers[vocabulary] = Analyzer(words, stops)
        return _analyzers[vocabulary]


def _published(session: Session) -> list[Result | Need]:
    rows: list[Result | Need] = []
    for model in MODELS.values():
        rows.extend(session.scalars(select(model).options(selectinload(model.chain))
                                    .where(model.status.in_(PUBLIC_STATUSES))))
    return rows


def _key() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _staleness() -> float:
    return float(current_app.config["MATCH_INDEX_MAX_STALENESS"])


def _writing() -> bool:
    """Whether the caller's transaction has written something not yet committed."""
    session = db.session
    return bool(session.info.get(_WROTE) or session.new or session.deleted)


def current() -> LoadedIndex:
    """The index for this app's database, at most MATCH_INDEX_MAX_STALENESS seconds behind it (see above)."""
    key = _key()
    state = _states.get(key)
    if state is not None and (not _due(state, key) or _writing()):
        return state
    if not _refreshing.acquire(blocking=state is None):
        return state  # type: ignore[return-value] # another thread is catching up; answer from memory
    try:
        state = _states.get(key)
        if state is not None and not _due(state, key):
            return state
        _due_now.discard(key)
        checked = time.monotonic()
        with Session(db.engine) as session:
            state = _refreshed(session, state)
        state.checked_at = checked
        with _lock:
            _states[key] = state
        return state
    finally:
        _refreshing.release()


@contextmanager
def reading() -> Iterator[LoadedIndex]:
    """The current index, held still while the caller searches it (catch-ups wait, other readers too)."""
    state = current()
    with _lock:
        yield state


def _due(state: LoadedIndex, key: str) -> bool:
    return key in _due_now or time.monotonic() - state.checked_at >= _staleness()


def _refreshed(session: Session, state: LoadedIndex | None) -> LoadedIndex:
    """Apply the change rows after `state.version`; load or build first, resync fully when piecemeal won't do."""
    chains = None
    if state is None:
        chains = _chains(session)
        state = _load_or_build(chains, _vocabulary(chains))
        _use_lexicon(state, chains)
        _keep_out_of_collections()
    rows = change_log.changes_after(session, state.version, BATCH_LIMIT + 1)
    if not rows and state.version >= 0:
        return state
    chains = chains if chains is not None else _chains(session)
    vocabulary = _vocabulary(chains)
    if (state.version < 0 or vocabulary != state.vocabulary or len(rows) > BATCH_LIMIT
            or any(op in ("resync", "vocabulary") for _id, _kind, _pid, op in rows)
            or change_log.pruned_past(session, state.version)):
        state = _resync(session, state, chains, vocabulary)
    else:
        _apply(session, state, rows)
        state.version = rows[-1][0]
    _use_lexicon(state, chains)  # a "lexicon" row (synonyms edited) needs nothing more than this
    return state


def _apply(session: Session, state: LoadedIndex, rows: list[tuple[int, str, int | None, str]]) -> None:
    """Load only the changed postings by id; add what is public now, remove what is not."""
    wanted: dict[str, set[int]] = {}
    for _id, kind, posting_id, _op in rows:
        if kind in MODELS and posting_id is not None:
            wanted.setdefault(kind, set()).add(posting_id)
    found: dict[str, Result | Need] = {}
    for kind, ids in wanted.items():
        model = MODELS[kind]
        for p in session.scalars(select(model).options(selectinload(model.chain)).where(model.id.in_(ids))):
            found[doc_id(kind, p.id)] = p
    targets = {doc_id(kind, i) for kind, ids in wanted.items() for i in ids}
    public = {i: p for i, p in found.items() if p.status in PUBLIC_STATUSES}
    docs = [document_for(p) for i, p in public.items() if state.stamps.get(i) != _stamp(p)]
    stamps = {d.id: _stamp(public[d.id]) for d in docs}
    with _lock:
        gone = [i for i in targets - public.keys() if i in state.stamps or i in state.index]
        for i in gone:
            state.index.remove(i)
            state.stamps.pop(i, None)
        if len(docs) <= _FEW:
            for doc in docs:
                state.index.add(doc)
        else:
            state.index.add_many(docs)
        state.stamps.update(stamps)
        if docs or gone:
            state.fitted_classifier = None


def _resync(session: Session, state: LoadedIndex, chains: list[Chain], vocabulary: str) -> LoadedIndex:
    """Compare every published posting's stamp (new analyzer: from scratch); save after large changes."""
    top = change_log.newest(session)  # read first: changes committed meanwhile are applied again next time
    if vocabulary != state.vocabulary:
        analyzer = analyzer_for(chains, vocabulary)
        state = LoadedIndex(-1, vocabulary, analyzer, build_index([], analyzer), {})
    published = {doc_id(p.kind, p.id): p for p in _published(session)}
    changed = [i for i, p in published.items() if state.stamps.get(i) != _stamp(p)]
    docs = [document_for(published[i]) for i in changed]
    with _lock:
        gone = [i for i in state.stamps if i not in published]
        for i in gone + [i for i in changed if i in state.stamps]:
            state.index.remove(i)
            state.stamps.pop(i, None)
        state.index.add_many(docs)
        state.stamps.update({i: _stamp(published[i]) for i in changed})
        if changed or gone:
            state.fitted_classifier = None
        state.version = top
        large = len(changed) + len(gone) > 50
        if large:
            saved.save(_index_dir(), state)
    if large:
        _keep_out_of_collections()
    return state


def _keep_out_of_collections() -> None:
    """A loaded index is millions of long-lived objects, and every full collection of Python's cycle collector
    walks them all: a 150-300 ms pause every few requests at 10k postings (bench/dashboard.py --each). Frozen
    (gc.freeze), the collector skips them; reference counting still frees them when the index is replaced."""
    if current_app.config["MATCH_INDEX_FREEZE_GC"]:
        gc.collect(1)
        gc.freeze()


def _classifier(analyzer: Analyzer, chains: list[Chain], docs: Iterable[Document]) -> ChainClassifier:
    engine_chains = [EngineChain(c.code, c.name, tuple(c.terms or ())) for c in chains]
    return ChainClassifier(engine_chains, analyzer).fit(docs)


def _index_dir() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def _load_or_build(chains: list[Chain], vocabulary: str) -> LoadedIndex:
    """The saved index when it is intact and of this vocabulary, else an empty one to fill (never fatal)."""
    analyzer = analyzer_for(chains, vocabulary)
    loaded = saved.load(_index_dir(), vocabulary, analyzer)
    if loaded is not None:
        index, version, stamps = loaded
        return LoadedIndex(version, vocabulary, analyzer, index, stamps)
    return LoadedIndex(-1, vocabulary, analyzer, build_index([], analyzer), {})


def _all_docs(state: LoadedIndex) -> Iterable[Document]:
    for i in state.index.ids:
        doc = state.index.get(i)
        if doc is not None:
            yield doc


def rebuild(progress: Callable[[int, int], Any] | None = None) -> LoadedIndex:
    """Throw away this process's index and build it again from the database (the `flask reindex` command)."""
    with Session(db.engine) as session:
        version = change_log.newest(session)
        chains = _chains(session)
        vocabulary = _vocabulary(chains)
        analyzer = analyzer_for(chains, vocabulary)
        postings = _published(session)
        docs = [document_for(p) for p in postings]
        stamps = {doc_id(p.kind, p.id): _stamp(p) for p in postings}
    index = build_index([], analyzer)
    step = max(len(docs) // 20, 1)
    for start in range(0, len(docs), step):
        index.add_many(docs[start:start + step])
        if progress:
            progress(min(start + step, len(docs)), len(docs))
    state = LoadedIndex(version, vocabulary, analyzer, index, stamps, checked_at=time.monotonic())
    _use_lexicon(state, chains)
    with _lock:
        _states[_key()] = state
        saved.save(_index_dir(), state)
    _keep_out_of_collections()
    return state


def forget() -> None:
    """Drop this process's cached index for the current database (tests switch databases under one process)."""
    with _lock:
        _states.pop(_key(), None)
        _due_now.discard(_key())


def warm_up() -> None:
    """Build or load the index before the first request (server start); a database not yet migrated is skipped."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        current()
    except SQLAlchemyError as exc:
        db.session.rollback()
        saved.log.warning("match index not warmed: %s", exc)


_WROTE = "index_session_wrote"


@event.listens_for(Session, "after_flush")
def _wrote(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WROTE, None)
    if session.info.pop(change_log.PENDING, False) and has_app_context():
        _due_now.add(_key())  # this process wrote a change: its next search looks at once (read your writes)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(change_log.PENDING, None)
