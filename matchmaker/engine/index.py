"""The match index: two BM25 channels (character n-grams and jieba words), fused.

Ranking (``fusion="bound"``, the default): each channel's raw BM25 score is divided by the
query's maximum achievable score in that channel (every query term present with saturated
term frequency), and the two are averaged with weights 1 and ``config.word_weight``.  That
is ``Hit.score``: in [0, 1], the order of the results, and comparable across queries, so a
minimum-score threshold means "covers at least this weighted share of the query".
``fusion="max"`` (per-query max normalization, as in the notes) ranks the same within
noise but then ``Hit.score`` (still the bounded score) is not monotone in rank.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.bm25 import Channel, QueryVector
from matchmaker.engine.explain import readable_terms
from matchmaker.engine.features import Features, analyze, analyze_many, as_document
from matchmaker.engine.types import Document, Hit, IndexConfig

F64 = npt.NDArray[np.float64]
Filter = Callable[[str], bool] | Collection[str] | None
_DELTA_LIMIT = 1024  # documents added since the last full build before rebuilding
_FORMAT = 1


class _Query:
    """A query analyzed against both channels, with its fusion scales."""

    def __init__(self, index: Index, feats: Features) -> None:
        self.feats = feats
        max_df = index.config.max_df
        self.chars = index.chars.query(feats.chars, max_df)
        self.words = index.words.query(feats.words, max_df) if index.config.use_words else _EMPTY
        w = index.config.word_weight if self.words.upper > 0 else 0.0
        c_part = 1.0 if self.chars.upper > 0 else 0.0
        self.total = c_part + w
        self.word_weight = w
        # Display scales: channel raw / its upper bound, averaged over active channels.
        self.show_c = c_part / (self.chars.upper * self.total) if c_part else 0.0
        self.show_w = w / (self.words.upper * self.total) if w else 0.0

    @property
    def empty(self) -> bool:
        return self.total == 0.0


_EMPTY = QueryVector(np.zeros(0, np.int32), np.zeros(0, np.float32), 0.0)


class Index:
    """Incremental BM25 index over :class:`Document` records."""

    def __init__(self, analyzer: Analyzer, config: IndexConfig | None = None) -> None:
        self.analyzer = analyzer
        self.config = config or IndexConfig()
        self.chars = Channel(self.config.k1, self.config.b)
        self.words = Channel(self.config.word_k1, self.config.word_b)
        self.docs: list[Document | None] = []
        self.slot_of: dict[str, int] = {}
        self._dead: list[int] = []
        self._since_build = 0

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.slot_of

    def get(self, doc_id: str) -> Document | None:
        """The indexed document with this id, if any."""
        slot = self.slot_of.get(doc_id)
        return None if slot is None else self.docs[slot]

    @property
    def ids(self) -> list[str]:
        """Ids of all live documents, in insertion order."""
        return [d.id for d in self.docs if d is not None]

    # -- changes ----------------------------------------------------------------------
    def _append(self, doc: Document, feats: Features) -> None:
        if doc.id in self.slot_of:
            self.remove(doc.id)
        self.slot_of[doc.id] = len(self.docs)
        self.docs.append(doc)
        self.chars.append(feats.chars)
        self.words.append(feats.words)

    def add(self, doc: Document) -> None:
        """Add or replace one document; only this document is tokenized."""
        self._append(doc, analyze(self.analyzer, self.config, doc))
        self._since_build += 1
        if self._since_build > _DELTA_LIMIT:
            self.rebuild()

    def add_many(self, docs: Iterable[Document], workers: int = 1) -> None:
        """Add many documents, then rebuild once."""
        docs = list(docs)
        for doc, feats in zip(docs, analyze_many(self.analyzer, self.config, docs, workers), strict=True):
            self._append(doc, feats)
        self.rebuild()

    def remove(self, doc_id: str) -> bool:
        """Remove a document; returns whether it was present."""
        slot = self.slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self.docs[slot] = None
        self.chars.forget(slot)
        self.words.forget(slot)
        self._dead.append(slot)
        if len(self._dead) > max(64, len(self.docs) // 4):
            self.rebuild()
        return True

    def rebuild(self) -> None:
        """Full build of the matrices (drops removed slots, refreezes avgdl); no re-tokenizing."""
        keep = [i for i, d in enumerate(self.docs) if d is not None] if self._dead else None
        if keep is not None:
            self.docs = [self.docs[i] for i in keep]
            self.slot_of = {d.id: i for i, d in enumerate(self.docs) if d is not None}
            self._dead = []
        self.chars.rebuild(keep)
        self.words.rebuild(keep)
        self._since_build = 0

    # -- search -----------------------------------------------------------------------
    def _prepare(self, query: str | Document | None) -> _Query:
        doc = as_document(query) if query is not None else Document(id="")
        return _Query(self, analyze(self.analyzer, self.config, doc, query=True))

    def _scores(self, q: _Query) -> tuple[F64, F64, F64]:
        """Fused ranking score and the two raw channel scores of every slot."""
        n = len(self.docs)
        sc = self.chars.scores(q.chars, n) if q.chars.upper > 0 else np.zeros(n)
        sw = self.words.scores(q.words, n) if q.word_weight > 0 else np.zeros(n)
        if self.config.fusion == "bound" or q.word_weight == 0:
            return sc * q.show_c + sw * q.show_w, sc, sw
        mc, mw = float(sc.max(initial=0.0)), float(sw.max(initial=0.0))
        fused = sc / mc if mc > 0 else sc.copy()
        if mw > 0:
            fused += sw * (q.word_weight / mw)
        return fused, sc, sw

    def _ranked(self, fused: F64, k: int, flt: Filter) -> list[int]:
        if self._dead:
            fused[np.asarray(self._dead)] = 0.0
        if flt is not None and not callable(flt):
            mask = np.zeros(len(fused), bool)
            mask[[self.slot_of[i] for i in flt if i in self.slot_of]] = True
            fused[~mask] = 0.0
            flt = None
        positive = int(np.count_nonzero(fused > 0))
        take = min(positive, k if flt is None else max(4 * k, 64))
        while True:
            top = np.argpartition(-fused, take - 1)[:take] if 0 < take < len(fused) else np.arange(len(fused))
            top = top[fused[top] > 0]
            order: list[int] = top[np.lexsort((top, -fused[top]))].tolist()
            if flt is not None:
                order = [s for s in order if (d := self.docs[s]) is not None and flt(d.id)]
            if len(order) >= k or take >= positive:
                return order[:k]
            take = min(positive, 4 * take)

    def _hit(self, q: _Query, slot: int, sc: F64 | None = None, sw: F64 | None = None) -> Hit:
        """A hit; with channel score arrays given it is cheap and carries no terms."""
        doc = self.docs[slot]
        assert doc is not None
        if sc is not None and sw is not None:
            c, w = float(sc[slot]), float(sw[slot])
            return Hit(doc.id, min(c * q.show_c + w * q.show_w, 1.0), c + w)
        wc = self.chars.doc_weights(slot, q.chars) if q.chars.upper > 0 else _EMPTY.weights
        ww = self.words.doc_weights(slot, q.words) if q.word_weight else _EMPTY.weights
        c_part = [(self.chars.terms[t], float(v) * q.show_c) for t, v in zip(q.chars.ids, wc, strict=True) if v > 0]
        w_part = [(self.words.terms[t], float(v) * q.show_w) for t, v in zip(q.words.ids, ww, strict=True) if v > 0]
        doc_norm = self.analyzer.normalize("\n".join([doc.title, *doc.keywords, doc.text]))
        terms = readable_terms(q.feats.runs, c_part, w_part, doc_norm)
        contrib = tuple(sorted(c_part + w_part, key=lambda c: -c[1]))
        score = min(sum(v for _, v in contrib), 1.0)
        return Hit(doc.id, score, float(wc.sum()) + float(ww.sum()), tuple(t for t, _ in terms), contrib)

    def search(
        self,
        query: str | Document | None,
        k: int = 10,
        *,
        filter: Filter = None,
        min_score: float = 0.0,
        with_terms: bool = True,
    ) -> list[Hit]:
        """Best ``k`` documents for a text or a document, best first (never raises on junk)."""
        q = self._prepare(query)
        if q.empty or k <= 0 or not self.slot_of:
            return []
        fused, sc, sw = self._scores(q)
        slots = self._ranked(fused, k, filter)
        hits = [self._hit(q, s) if with_terms else self._hit(q, s, sc, sw) for s in slots]
        return [h for h in hits if h.score >= min_score]

    def score_of(self, query: str | Document | None, doc_id: str) -> Hit | None:
        """The hit a given document would get for the query (None when absent or unmatched)."""
        slot = self.slot_of.get(doc_id)
        q = self._prepare(query)
        if slot is None or q.empty:
            return None
        hit = self._hit(q, slot)
        return hit if hit.raw_score > 0 else None

    # -- persistence ------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write ``path/index.npz`` (term counts) and ``path/index.json`` (vocabularies, documents)."""
        if self._dead or self._since_build:
            self.rebuild()
        root = Path(path)
        root.mkdir(parents=True, exist_ok=True)
        arrays = {**self.chars.arrays("chars"), **self.words.arrays("words")}
        np.savez(root / "index.npz", allow_pickle=False, **arrays)
        meta = {
            "format": _FORMAT,
            "analyzer": self.analyzer.fingerprint,
            "config": asdict(self.config),
            "chars": self.chars.terms,
            "words": self.words.terms,
            "docs": [asdict(d) for d in self.docs if d is not None],
        }
        (root / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, analyzer: Analyzer) -> Index:
        """Read an index written by :meth:`save`; the analyzer must be configured the same way."""
        root = Path(path)
        meta = json.loads((root / "index.json").read_text(encoding="utf-8"))
        if meta.get("format") != _FORMAT or meta.get("analyzer") != analyzer.fingerprint:
            raise ValueError("index was built with another format or analyzer configuration; rebuild it")
        index = cls(analyzer, IndexConfig(**meta["config"]))
        with np.load(root / "index.npz") as arrays:
            data = {k: arrays[k] for k in arrays.files}
        cfg = index.config
        index.chars = Channel.from_arrays(cfg.k1, cfg.b, meta["chars"], data, "chars")
        index.words = Channel.from_arrays(cfg.word_k1, cfg.word_b, meta["words"], data, "words")
        index.docs = [Document(d["id"], d["title"], d["text"], tuple(d["keywords"]), d["chain"]) for d in meta["docs"]]
        index.slot_of = {d.id: i for i, d in enumerate(index.docs) if d is not None}
        return index


def build_index(
    docs: Sequence[Document] | Iterable[Document],
    analyzer: Analyzer,
    config: IndexConfig | None = None,
    *,
    workers: int = 1,
) -> Index:
    """Tokenize every document once and build the matrices."""
    index = Index(analyzer, config)
    index.add_many(docs, workers=workers)
    return index
