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

import contextlib
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.bm25 import EMPTY_QUERY, Channel, Encoded, QueryVector, gather
from matchmaker.engine.features import Features, analyze, as_document, compact, encode_many
from matchmaker.engine.synonyms import Synonyms
from matchmaker.engine.terms import Positions, bigram_positions, readable_terms
from matchmaker.engine.types import Document, Hit, IndexConfig

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
Filter = Callable[[str], bool] | Collection[str] | None
ChainLabels = Mapping[str, str | None] | Callable[[Document], str | None]
_NO_COLS = np.zeros(0, np.int64)
_NO_WEIGHTS = np.zeros(0, np.float32)
_DELTA_LIMIT = 1024  # documents added since the last full build before rebuilding
# ... and never more than a quarter of the documents that build had: the length normalization and the score
# bounds are frozen at a build, so deltas onto a small (or empty) build would score far too low (a first
# posting found at 0.16 instead of 0.89). Rebuild work stays proportional to the documents added.
_QUERY_CACHE = 8192  # analyzed queries kept, compacted (a posting's page scores its candidates with their texts)
_FORMAT = 1


@dataclass(frozen=True)
class _Matrix:
    """Both channels' BM25 weights in one CSC matrix of shape (2 * n_rows, char + word columns).

    Column ``t`` is character term ``t``; column ``word_offset + t`` is word term ``t``,
    whose row indices are stored shifted by ``n_rows``.
    """

    indptr: npt.NDArray[np.signedinteger]
    indices: npt.NDArray[np.signedinteger]
    data: F32
    n_rows: int
    word_offset: int


def _combine(chars: Channel, words: Channel) -> _Matrix:
    """Concatenate the two channels' freshly built weight matrices (words' rows shifted)."""
    n = chars.n_built
    cp, ci, cd = chars.take_weights()
    wp, wi, wd = words.take_weights()
    nnz = int(cp[-1]) + int(wp[-1])
    idx = np.int32 if nnz < 2**31 - 1 and 2 * n < 2**31 - 1 else np.int64
    indptr: npt.NDArray[np.signedinteger] = np.concatenate([cp.astype(idx), (wp[1:] + cp[-1]).astype(idx)])
    indices: npt.NDArray[np.signedinteger] = np.empty(nnz, idx)
    indices[: len(ci)] = ci
    np.add(wi, n, out=indices[len(ci) :], casting="unsafe")
    del ci, wi
    data = np.concatenate([cd, wd])
    return _Matrix(indptr, indices, data, n, len(cp) - 1)


def _plain_hit(doc_id: str, score: float, raw_score: float) -> Hit:
    """``Hit(doc_id, score, raw_score)`` without the frozen dataclass's per-field ``__setattr__`` (2x faster)."""
    hit: Hit = object.__new__(Hit)
    hit.__dict__.update(doc_id=doc_id, score=score, raw_score=raw_score, terms=(), contributions=())
    return hit


class _Query:
    """A query analyzed against both channels, with its fusion scales."""

    def __init__(self, index: Index, feats: Features, chain: str | None = None) -> None:
        self.feats = feats
        self.bounds: dict[int, tuple[set[int], set[int]]] = {}  # query runs' word boundaries (readable terms)
        self._positions: Positions | None = None
        cfg = index.config
        max_df = max(cfg.short_query_max_df, cfg.max_df) if len(feats.chars) <= cfg.short_query_terms else cfg.max_df
        sense = chain if cfg.sense_floor < 1.0 and chain is not None and index.has_chain_labels else None
        self.chars = _vector(index, "c", feats.chars, feats.typed_chars, max_df, sense)
        if cfg.use_words:
            self.words = _vector(index, "w", feats.words, feats.typed_words, max_df, sense)
        else:
            self.words = EMPTY_QUERY
        w = cfg.word_weight if self.words.upper > 0 else 0.0
        c_part = 1.0 if self.chars.upper > 0 else 0.0
        self.total = c_part + w
        self.word_weight = w
        # Display scales: channel raw / its upper bound, averaged over active channels.
        self.show_c = c_part / (self.chars.upper * self.total) if c_part else 0.0
        self.show_w = w / (self.words.upper * self.total) if w else 0.0

    @property
    def empty(self) -> bool:
        return self.total == 0.0

    @property
    def positions(self) -> Positions:
        """Where the query runs' bigrams are (readable terms), computed for its first hit with terms."""
        if self._positions is None:
            self._positions = bigram_positions(self.feats.runs)
        return self._positions


def _vector(
    index: Index,
    kind: str,
    counts: Mapping[str, float],
    typed: Mapping[str, float] | None,
    max_df: float,
    chain: str | None,
) -> QueryVector:
    """One channel's query vector; sense weights for the query's chain; the bound over typed terms only."""
    channel = index.chars if kind == "c" else index.words
    qv = channel.query(counts, max_df)
    if (typed is None and chain is None) or not len(qv.ids):
        return qv
    weights = qv.weights
    if chain is not None:
        weights = (weights * index._sense(kind, qv.ids, chain)).astype(np.float32)
    bound = weights
    if typed is not None:
        vocab = channel.vocab
        typed_ids = {vocab[t] for t in typed if t in vocab}
        mask = np.fromiter((i in typed_ids for i in qv.ids.tolist()), bool, len(qv.ids))
        if mask.any():
            bound = weights[mask]
    return QueryVector(qv.ids, weights, float(bound.sum()) * (channel.k1 + 1.0))


class Index:
    """Incremental BM25 index over :class:`Document` records."""

    def __init__(self, analyzer: Analyzer, config: IndexConfig | None = None, synonyms: Synonyms | None = None) -> None:
        self.analyzer = analyzer
        self.config = config or IndexConfig()
        self.synonyms = synonyms or Synonyms()
        self._labels: ChainLabels | None = None
        self._label_rows: tuple[int, npt.NDArray[np.int16], dict[str, int]] | None = None
        self._sense_cache: dict[tuple[str, int, int], float] = {}
        self._builds = 0
        self.chars = Channel(self.config.k1, self.config.b)
        self.words = Channel(self.config.word_k1, self.config.word_b)
        self.docs: list[Document | None] = []
        self.slot_of: dict[str, int] = {}
        self._dead: list[int] = []
        self._dead_arr: npt.NDArray[np.int64] | None = None
        self._since_build = 0
        self._matrix: _Matrix | None = None
        self._query_features: dict[Document, Features] = {}
        self._mutations = 0
        self._queries: dict[Document, _Query] = {}
        self._queries_at = 0

    def __len__(self) -> int:
        return len(self.slot_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.slot_of

    def get(self, doc_id: str) -> Document | None:
        """The indexed document with this id, if any."""
        slot = self.slot_of.get(doc_id)
        return None if slot is None else self.docs[slot]

    @property
    def mutations(self) -> int:
        """Counts every change of what a query can see (documents, statistics, synonyms, chain labels).

        Two calls made while it stays the same return the same answers, so callers may keep answers keyed on
        it (and on this object)."""
        return self._mutations

    @property
    def ids(self) -> list[str]:
        """Ids of all live documents, in insertion order."""
        return [d.id for d in self.docs if d is not None]

    # -- query-side data (no rebuild) ------------------------------------------------
    def set_synonyms(self, synonyms: Synonyms | None) -> None:
        """Swap the firm-vocabulary synonyms; takes effect on the next query (nothing is rebuilt)."""
        self.synonyms = synonyms or Synonyms()
        self._query_features = {}
        self._mutations += 1

    def label_chains(self, labels: ChainLabels | None) -> None:
        """Chain of each document for the sense weighting: a mapping id -> code, or a function of the document.

        Documents without a label (absent, None) count as "another chain".  ``None`` switches the
        labels off.  Evaluated lazily per build, never changes a ranking statistic.
        """
        self._labels = labels
        self._label_rows = None
        self._sense_cache = {}
        self._mutations += 1

    @property
    def has_chain_labels(self) -> bool:
        return self._labels is not None

    def _label_array(self) -> tuple[npt.NDArray[np.int16], dict[str, int]]:
        """Chain code index of every built row (-1: none), computed once per build."""
        m = self._matrix
        assert m is not None and self._labels is not None
        if self._label_rows is None or self._label_rows[0] != self._builds:
            labels = self._labels
            codes: dict[str, int] = {}
            arr = np.full(m.n_rows, -1, np.int16)
            for i, doc in enumerate(self.docs[: m.n_rows]):
                if doc is None:
                    continue
                code = labels(doc) if callable(labels) else labels.get(doc.id, doc.chain)
                if code:
                    arr[i] = codes.setdefault(code, len(codes))
            self._label_rows = (self._builds, arr, codes)
            self._sense_cache = {}
        return self._label_rows[1], self._label_rows[2]

    def _sense(self, kind: str, ids: npt.NDArray[np.int64], chain: str) -> npt.NDArray[np.float32]:
        """Per query term: 1 when ``sense_share`` of its documents are in the chain, down to ``sense_floor``."""
        out = np.ones(len(ids), np.float32)
        if self._matrix is None:
            self.rebuild()
        m = self._matrix
        assert m is not None
        labels, codes = self._label_array()
        code = codes.get(chain)
        if code is None:
            return out
        floor, share_at = self.config.sense_floor, max(self.config.sense_share, 1e-9)
        cache = self._sense_cache
        n_cols = len(m.indptr) - 1
        for j, tid in enumerate(ids.tolist()):
            key = (kind, tid, code)
            mult = cache.get(key)
            if mult is None:
                col = tid if kind == "c" else m.word_offset + tid
                if kind == "c" and tid >= m.word_offset or col >= n_cols:
                    mult = 1.0
                else:
                    rows = m.indices[int(m.indptr[col]) : int(m.indptr[col + 1])]
                    if kind == "w":
                        rows = rows - m.n_rows
                    share = float(np.count_nonzero(labels[rows] == code)) / len(rows) if len(rows) else share_at
                    mult = floor + (1.0 - floor) * min(1.0, share / share_at)
                cache[key] = mult
            out[j] = mult
        return out

    # -- changes ----------------------------------------------------------------------
    def _append(self, doc: Document, feats: Features) -> None:
        self._mutations += 1
        if doc.id in self.slot_of:
            self._remove(doc.id)
        self.slot_of[doc.id] = len(self.docs)
        self.docs.append(doc)
        self.chars.append(feats.chars)
        self.words.append(feats.words)

    def add(self, doc: Document) -> None:
        """Add or replace one document; only this document is tokenized."""
        self._append(doc, analyze(self.analyzer, self.config, doc))
        self._since_build += 1
        if self._since_build > min(_DELTA_LIMIT, self.chars.n_built // 4):
            self.rebuild()

    def add_many(self, docs: Iterable[Document], workers: int = 1) -> None:
        """Add (or replace) many documents, then rebuild once.

        Documents with identical fields are analyzed once; ``workers > 1`` analyzes in that
        many forked processes.  When an id occurs twice, the later document wins.
        """
        docs = list(docs)
        last = {d.id: i for i, d in enumerate(docs)}
        if len(last) != len(docs):
            docs = [d for i, d in enumerate(docs) if last[d.id] == i]
        batches, pick = encode_many(self.analyzer, self.config, docs, workers)
        self._extend(docs, [b[0] for b in batches], [b[1] for b in batches], pick)

    def _extend(
        self,
        docs: Sequence[Document],
        chars: Sequence[Encoded],
        words: Sequence[Encoded],
        pick: npt.NDArray[np.int64] | None = None,
    ) -> None:
        """Append encoded documents (distinct ids) and rebuild; ``pick``: row of each document."""
        for d in docs:
            if d.id in self.slot_of:
                self._remove(d.id)
        start = len(self.docs)
        self._mutations += 1
        self.docs.extend(docs)
        self.slot_of.update((d.id, start + i) for i, d in enumerate(docs))
        self.chars.extend(chars, pick)
        self.words.extend(words, pick)
        self.rebuild()

    def _remove(self, doc_id: str) -> bool:
        slot = self.slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self._mutations += 1
        self.docs[slot] = None
        self.chars.forget(slot)
        self.words.forget(slot)
        self._dead.append(slot)
        self._dead_arr = None
        return True

    def remove(self, doc_id: str) -> bool:
        """Remove a document; returns whether it was present."""
        if not self._remove(doc_id):
            return False
        if len(self._dead) > max(64, len(self.docs) // 4):
            self.rebuild()
        return True

    def rebuild(self) -> None:
        """Full build of the matrices (drops removed slots, refreezes avgdl); no re-tokenizing."""
        keep = None
        if self._dead:
            keep = np.fromiter((i for i, d in enumerate(self.docs) if d is not None), np.int64)
            self.docs = [self.docs[i] for i in keep.tolist()]
            self.slot_of = {d.id: i for i, d in enumerate(self.docs) if d is not None}
            self._dead = []
            self._dead_arr = None
        self.chars.rebuild(keep)
        self.words.rebuild(keep)
        self._matrix = _combine(self.chars, self.words)
        self._since_build = 0
        self._builds += 1
        self._mutations += 1

    # -- search -----------------------------------------------------------------------
    def _query_feats(self, doc: Document) -> Features:
        """The query analysis of a document (tokenizing is most of a query's cost), kept for repeats.

        It depends only on the text, the analyzer, the configuration and the synonyms (cleared when they are
        swapped), not on the indexed documents; their statistics are applied afterwards by :class:`_Query`.
        Oldest entries go first once the cache is full. Cached features are never mutated.
        """
        feats = self._query_features.get(doc)
        if feats is None:
            if self.synonyms:
                feats = analyze(self.analyzer, self.config, doc, query=True, synonyms=self.synonyms)
            else:
                feats = analyze(self.analyzer, self.config, doc, query=True)
            feats = compact(feats)
            cache = self._query_features
            if len(cache) >= _QUERY_CACHE:
                with contextlib.suppress(StopIteration, KeyError, RuntimeError):  # another thread got there first
                    del cache[next(iter(cache))]
            cache[doc] = feats
        return feats

    def _prepare(self, query: str | Document | None) -> _Query:
        """The query weighted with the current statistics, kept until the index changes (a posting page weighs
        each candidate's text twice: once to rank the pairs, once to read the shown pairs' terms)."""
        doc = as_document(query) if query is not None else Document(id="")
        at = self._mutations
        if self._queries_at != at:
            self._queries, self._queries_at = {}, at
        q = self._queries.get(doc)
        if q is None:
            q = _Query(self, self._query_feats(doc), doc.chain)
            queries = self._queries
            if self._mutations == at and self._queries is queries:  # not weighed across a rebuild it caused
                if len(queries) >= _QUERY_CACHE:
                    with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                        del queries[next(iter(queries))]
                queries[doc] = q
        return q

    def expansions(self, query: str | Document | None) -> tuple[tuple[str, str], ...]:
        """(firm word, technical term) pairs the synonyms add to this query."""
        if not self.synonyms or query is None:
            return ()
        return self._query_feats(as_document(query)).expansions

    def _scores(self, q: _Query) -> tuple[F32, F32, F32]:
        """Fused ranking score and the two channels' scaled scores of every slot.

        Both channels' columns are gathered in one pass over the combined matrix, whose
        word-channel rows are stored after the character-channel rows; the query weights
        carry the fusion scales ``q.show_c`` / ``q.show_w``, so the bound fusion is the
        plain sum of the two halves (divide a half by its scale to get raw BM25).
        """
        if self._matrix is None:
            self.rebuild()
        m = self._matrix
        assert m is not None
        n, nb = len(self.docs), m.n_rows
        cols_c, w_c = self.chars.columns(q.chars, q.show_c)
        cols_w, w_w = self.words.columns(q.words, q.show_w) if q.word_weight > 0 else (_NO_COLS, _NO_WEIGHTS)
        cols = np.concatenate([cols_c, cols_w + m.word_offset]).astype(m.indptr.dtype, copy=False)
        weights = np.concatenate([w_c, w_w])
        y = np.zeros(2 * n, np.float32)
        if len(cols) and nb:
            gather(m.indptr, m.indices, m.data, cols, weights, y[: 2 * nb])
        if n == nb:
            sc, sw = y[:n], y[n:]
        else:  # slots added since the build: delta postings
            pc, pw = y[2 * nb : n + nb], y[n + nb :]
            self.chars.accumulate_delta(q.chars, q.show_c, pc)
            if q.word_weight > 0:
                self.words.accumulate_delta(q.words, q.show_w, pw)
            sc, sw = np.concatenate([y[:nb], pc]), np.concatenate([y[nb : 2 * nb], pw])
        if self.config.fusion == "bound" or q.word_weight == 0:
            return sc + sw, sc, sw
        mc, mw = float(sc.max(initial=0.0)), float(sw.max(initial=0.0))
        fused = sc / np.float32(mc) if mc > 0 else sc.copy()
        if mw > 0:
            fused += sw * np.float32(q.word_weight / mw)
        return fused, sc, sw

    def _ranked(self, fused: F32, k: int, flt: Filter) -> list[int]:
        if self._dead:
            if self._dead_arr is None:
                self._dead_arr = np.asarray(self._dead, np.int64)
            fused[self._dead_arr] = 0.0
        if flt is not None and not callable(flt):
            mask = np.zeros(len(fused), bool)
            mask[[self.slot_of[i] for i in flt if i in self.slot_of]] = True
            fused[~mask] = 0.0
            flt = None
        n = len(fused)
        neg = -fused
        if flt is None and k < n:
            # The k-th best score by a value-only partition (cheaper than argpartition), then
            # every slot at least that good: equal scores at the cut-off go to the lower slot.
            kth = np.partition(neg, k - 1)[k - 1]
            top = np.flatnonzero(neg <= kth) if kth < 0 else np.flatnonzero(neg < 0)
            best: list[int] = top[np.lexsort((top, neg[top]))][:k].tolist()
            return best
        take = k if flt is None else max(4 * k, 64)
        while True:
            top = np.argpartition(neg, take - 1)[:take] if take < n else np.arange(n)
            top = top[fused[top] > 0]
            exhausted = take >= n or len(top) < take
            order: list[int] = top[np.lexsort((top, neg[top]))].tolist()
            if flt is not None:
                order = [s for s in order if (d := self.docs[s]) is not None and flt(d.id)]
            if len(order) >= k or exhausted:
                return order[:k]
            take = min(n, 4 * take)

    def _hits_with_terms(self, q: _Query, slots: list[int]) -> list[Hit]:
        """Hits with contributions and readable terms (per-term work for these slots only)."""
        wc = self.chars.contributions(slots, q.chars) if q.chars.upper > 0 else np.zeros((len(slots), 0))
        ww = self.words.contributions(slots, q.words) if q.word_weight else np.zeros((len(slots), 0))
        hits = []
        for i, slot in enumerate(slots):
            doc = self.docs[slot]
            assert doc is not None
            hits.append(self._hit(q, doc, wc[i], ww[i]))
        return hits

    def _hit(self, q: _Query, doc: Document, rc: F64, rw: F64) -> Hit:
        """One hit from the per-query-term raw contributions of both channels."""
        c_terms = self.chars.terms
        w_terms = self.words.terms
        c_ids = q.chars.ids.tolist()
        w_ids = q.words.ids.tolist() if q.word_weight else []
        c_part = [(c_terms[c_ids[j]], float(rc[j]) * q.show_c) for j in np.flatnonzero(rc > 0).tolist()]
        w_part = [(w_terms[w_ids[j]], float(rw[j]) * q.show_w) for j in np.flatnonzero(rw > 0).tolist()]
        doc_norm = self.analyzer.normalize("\n".join([doc.title, *doc.keywords, doc.indicators, doc.text]))
        an = self.analyzer
        terms = readable_terms(q.feats.runs, c_part, w_part, doc_norm, an.cut, an.stopwords, q.bounds, an.is_word,
                               q.positions)
        contrib = tuple(sorted(c_part + w_part, key=lambda c: -c[1]))
        score = min(sum(v for _, v in contrib), 1.0)
        raw = float(rc.sum()) + float(rw.sum())
        return Hit(doc.id, score, raw, tuple(t for t, _ in terms), contrib)

    def _hits(self, q: _Query, slots: list[int], fused: F32, sc: F32, sw: F32) -> list[Hit]:
        """Cheap hits: scores straight from the score arrays, no per-term work."""
        inv_c = 1.0 / q.show_c if q.show_c else 0.0
        inv_w = 1.0 / q.show_w if q.show_w else 0.0
        bound = self.config.fusion == "bound" or q.word_weight == 0
        hits = []
        docs = self.docs
        at = np.asarray(slots, np.intp)
        for slot, f, c, w in zip(slots, fused[at].tolist(), sc[at].tolist(), sw[at].tolist(), strict=True):
            doc = docs[slot]
            assert doc is not None
            hits.append(_plain_hit(doc.id, min(f if bound else c + w, 1.0), c * inv_c + w * inv_w))
        return hits

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
        hits = self._hits_with_terms(q, slots) if with_terms else self._hits(q, slots, fused, sc, sw)
        return [h for h in hits if h.score >= min_score]

    def score_of(self, query: str | Document | None, doc_id: str, *, with_terms: bool = True) -> Hit | None:
        """The hit a given document would get for the query (None when absent or unmatched).

        ``with_terms=False``: the same score and raw score without readable terms or contributions (the
        per-term reading is most of the cost when many pairs are scored to rank them).
        """
        slot = self.slot_of.get(doc_id)
        q = self._prepare(query)
        if slot is None or q.empty:
            return None
        if not with_terms:
            rc = self.chars.contributions([slot], q.chars)[0] if q.chars.upper > 0 else np.zeros(0)
            rw = self.words.contributions([slot], q.words)[0] if q.word_weight else np.zeros(0)
            raw = float(rc.sum()) + float(rw.sum())
            score = min(float(rc.sum()) * q.show_c + float(rw.sum()) * q.show_w, 1.0)
            return _plain_hit(doc_id, score, raw) if raw > 0 else None
        hit = self._hits_with_terms(q, [slot])[0]
        return hit if hit.raw_score > 0 else None

    def score_document(self, query: str | Document | None, document: Document) -> Hit | None:
        """The hit a document that is NOT in the index would get, scored with the index's statistics.

        Read only: the document is analyzed on its own and weighted with the IDF and average
        length of the last build; the index (vocabulary, counts, matrices, IDF) is not changed.
        Query terms no indexed document holds have no IDF and score nothing here.
        """
        q = self._prepare(query)
        if q.empty:
            return None
        feats = analyze(self.analyzer, self.config, document)
        rc = self._unindexed_contributions(self.chars, q.chars, feats.chars)
        rw = self._unindexed_contributions(self.words, q.words, feats.words) if q.word_weight else np.zeros(0)
        hit = self._hit(q, document, rc, rw)
        return hit if hit.raw_score > 0 else None

    @staticmethod
    def _unindexed_contributions(channel: Channel, qv: QueryVector, counts: Mapping[str, float]) -> F64:
        out = np.zeros(len(qv.ids), np.float64)
        if not len(qv.ids) or not counts:
            return out
        dl = np.float32(sum(counts.values()))
        terms = channel.terms
        for j, tid in enumerate(qv.ids.tolist()):
            tf = counts.get(terms[tid])
            if tf:
                part = channel._tf_part(np.asarray([tf], np.float32), dl)
                out[j] = float(qv.weights[j]) * float(part[0])
        return out

    # -- persistence ------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write ``path/index.npz`` (term counts) and ``path/index.json`` (vocabularies, documents)."""
        if self._dead or self.chars.n_slots != self.chars.n_built:
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
        index.docs = [
            Document(d["id"], d["title"], d["text"], tuple(d["keywords"]), d["chain"], d.get("indicators", ""))
            for d in meta["docs"]
        ]
        index.slot_of = {d.id: i for i, d in enumerate(index.docs) if d is not None}
        index._matrix = _combine(index.chars, index.words)
        return index


def build_index(
    docs: Sequence[Document] | Iterable[Document],
    analyzer: Analyzer,
    config: IndexConfig | None = None,
    *,
    workers: int = 1,
    synonyms: Synonyms | None = None,
) -> Index:
    """Tokenize every document once and build the matrices."""
    index = Index(analyzer, config, synonyms)
    index.add_many(docs, workers=workers)
    return index
