"""The per-process match index and how it follows the database.

The database is the one source of truth. Each process keeps an engine Index of every published result and need
(ids "result:12", "need:7"), the IndexVersion it reflects, and each document's updated_at stamp. When
the database's version moves (another worker published something), `current()` re-reads the list of published
postings and adds/removes only what changed: no re-tokenizing of unchanged documents. A change of the chains'
vocabulary changes the analyzer, which needs a full rebuild. Full builds are persisted under INDEX_DIR so a
restarted worker loads instead of re-tokenizing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.engine import Analyzer, ChainClassifier, Document, Index, build_index
from matchmaker.engine import Chain as EngineChain
from matchmaker.engine.analyzer import read_userdict
from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Result
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.matching import version as index_sync

log = logging.getLogger(__name__)
MODELS: dict[str, type[Result] | type[Need]] = {"result": Result, "need": Need}


@dataclass
class LoadedIndex:
    """What one process holds for one database."""

    version: int
    vocabulary: str
    analyzer: Analyzer
    index: Index
    stamps: dict[str, str] = field(default_factory=dict)
    fitted_classifier: ChainClassifier | None = None
    """Fitted on first use after the indexed documents change (not on every publish)."""

    def classifier(self) -> ChainClassifier:
        """The chain classifier trained on the currently indexed (published) postings."""
        with _lock:
            if self.fitted_classifier is None:
                self.fitted_classifier = _classifier(self.analyzer, _chains(), _all_docs(self))
            return self.fitted_classifier


_states: dict[str, LoadedIndex] = {}
_analyzers: dict[str, Analyzer] = {}
_lock = threading.RLock()


def enabled() -> bool:
    """False where the app runs without a match index (some tests switch it off)."""
    return bool(current_app.config.get("MATCH_INDEX_ENABLED", True))


def doc_id(kind: str, posting_id: int) -> str:
    return f"{kind}:{posting_id}"


def parse_doc_id(value: str) -> tuple[str, int]:
    kind, _sep, number = value.partition(":")
    return kind, int(number)


def document_for(posting: Result | Need) -> Document:
    """The engine's view of a posting: title, keywords and body; chain as its code."""
    return Document(id=doc_id(posting.kind, posting.id), title=posting.title, text=posting.body,
                    keywords=tuple(posting.keywords or ()), chain=posting.chain.code if posting.chain else None)


def _stamp(posting: Result | Need) -> str:
    return f"{posting.updated_at.isoformat() if posting.updated_at else ''}|{posting.chain_id}"


def _chains() -> list[Chain]:
    return list(db.session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)))


def _vocabulary(chains: Iterable[Chain]) -> str:
    blob = json.dumps([[c.code, sorted(c.terms or [])] for c in chains], ensure_ascii=False)
    return hashlib.sha1(blob.encode(), usedforsecurity=False).hexdigest()[:16]


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


def _published() -> list[Result | Need]:
    rows: list[Result | Need] = []
    for model in MODELS.values():
        rows.extend(db.session.scalars(select(model).options(selectinload(model.chain))
                                       .where(model.status.in_(PUBLIC_STATUSES))))
    return rows


def _key() -> str:
    return str(current_app.config["SQLALCHEMY_DATABASE_URI"])


def current() -> LoadedIndex:
    """The index for this app's database, brought up to date if the database moved on."""
    version = index_sync.current_version()
    with _lock:
        state = _states.get(_key())
        if state is not None and state.version == version:
            return state
        chains = _chains()
        vocabulary = _vocabulary(chains)
        if state is None or state.vocabulary != vocabulary:
            state = _load_or_build(chains, vocabulary, version)
        _catch_up(state, version)
        _states[_key()] = state
        return state


def _classifier(analyzer: Analyzer, chains: list[Chain], docs: Iterable[Document]) -> ChainClassifier:
    engine_chains = [EngineChain(c.code, c.name, tuple(c.terms or ())) for c in chains]
    return ChainClassifier(engine_chains, analyzer).fit(docs)


def _index_dir() -> Path:
    return Path(current_app.config["INDEX_DIR"])


def _load_or_build(chains: list[Chain], vocabulary: str, version: int) -> LoadedIndex:
    analyzer = analyzer_for(chains, vocabulary)
    saved = _index_dir() / "meta.json"
    if saved.exists():
        try:
            meta = json.loads(saved.read_text(encoding="utf-8"))
            if meta.get("vocabulary") == vocabulary:
                index = Index.load(_index_dir(), analyzer)
                return LoadedIndex(meta["version"], vocabulary, analyzer, index, dict(meta["stamps"]))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("saved match index unusable, rebuilding: %s", exc)
    return LoadedIndex(-1, vocabulary, analyzer, build_index([], analyzer), {})


def _catch_up(state: LoadedIndex, version: int) -> None:
    """Add what is newly published or changed, remove what is gone; save after large changes."""
    published = {doc_id(p.kind, p.id): p for p in _published()}
    changed = [i for i, p in published.items() if state.stamps.get(i) != _stamp(p)]
    gone = [i for i in state.stamps if i not in published]
    for i in gone + [i for i in changed if i in state.stamps]:
        state.index.remove(i)
        state.stamps.pop(i, None)
    docs = [document_for(published[i]) for i in changed]
    state.index.add_many(docs)
    state.stamps.update({i: _stamp(published[i]) for i in changed})
    if changed or gone:
        state.fitted_classifier = None
    state.version = version
    if len(changed) + len(gone) > 50:
        save(state)


def _all_docs(state: LoadedIndex) -> Iterable[Document]:
    for i in state.index.ids:
        doc = state.index.get(i)
        if doc is not None:
            yield doc


def save(state: LoadedIndex) -> None:
    """Persist the index and what it reflects, so a restart loads instead of rebuilding."""
    try:
        folder = _index_dir()
        state.index.save(folder)
        meta = {"version": state.version, "vocabulary": state.vocabulary, "stamps": state.stamps}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    except OSError as exc:  # a read-only instance folder must not break matching
        log.warning("could not save the match index: %s", exc)


def rebuild(progress: Callable[[int, int], Any] | None = None) -> LoadedIndex:
    """Throw away this process's index and build it again from the database (the `flask reindex` command)."""
    version = index_sync.current_version()
    chains = _chains()
    vocabulary = _vocabulary(chains)
    analyzer = analyzer_for(chains, vocabulary)
    postings = _published()
    index = build_index([], analyzer)
    step = max(len(postings) // 20, 1)
    for start in range(0, len(postings), step):
        index.add_many(document_for(p) for p in postings[start:start + step])
        if progress:
            progress(min(start + step, len(postings)), len(postings))
    state = LoadedIndex(version, vocabulary, analyzer, index, {doc_id(p.kind, p.id): _stamp(p) for p in postings})
    with _lock:
        _states[_key()] = state
    save(state)
    return state


def forget() -> None:
    """Drop this process's cached index for the current database (tests switch databases under one process)."""
    with _lock:
        _states.pop(_key(), None)


def warm_up() -> None:
    """Build or load the index before the first request (server start); a database not yet migrated is skipped."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        current()
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("match index not warmed: %s", exc)
