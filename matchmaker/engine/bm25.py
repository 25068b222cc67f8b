"""One BM25 channel: vocabulary, per-document term counts, precomputed weights in CSC.

The matrix stores the saturated term-frequency part of BM25,
``tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``; the IDF is applied to the query
weights at query time.  Adding a document therefore never changes stored weights:
``avgdl`` is frozen at the last full build and new documents go to a small delta
matrix that is rebuilt lazily, until the owner calls :meth:`Channel.rebuild`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Csc:
    indptr: npt.NDArray[np.int64]
    indices: I32
    data: F32
    n_terms: int


@dataclass(frozen=True)
class QueryVector:
    """Known query terms of one channel with their IDF-weighted query weights."""

    ids: I32
    weights: F32
    upper: float  # the score of a document saturating every query term


class Channel:
    """A BM25 index over one kind of feature (character n-grams or words)."""

    def __init__(self, k1: float, b: float) -> None:
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.df: npt.NDArray[np.int64] = np.zeros(0, np.int64)
        self.doc_ids: list[I32] = []
        self.doc_tfs: list[F32] = []
        self.dl: list[float] = []
        self.n_alive = 0
        self.avgdl = 1.0
        self._main: _Csc | None = None
        self._main_rows = 0
        self._delta: _Csc | None = None

    # -- building ---------------------------------------------------------------------
    def _term_ids(self, terms: Sequence[str]) -> list[int]:
        vocab, out = self.vocab, []
        for term in terms:
            tid = vocab.get(term)
            if tid is None:
                tid = vocab[term] = len(self.terms)
                self.terms.append(term)
            out.append(tid)
        return out

    def append(self, counts: Mapping[str, float]) -> None:
        """Add one document's weighted term counts as the next slot (delta segment)."""
        ids = np.asarray(self._term_ids(list(counts)), np.int32)
        tfs = np.fromiter(counts.values(), np.float32, len(counts))
        order = np.argsort(ids)
        self.doc_ids.append(ids[order])
        self.doc_tfs.append(tfs[order])
        self.dl.append(float(tfs.sum()))
        if len(self.terms) > len(self.df):
            grown = np.zeros(max(len(self.terms), 2 * len(self.df)), np.int64)
            grown[: len(self.df)] = self.df
            self.df = grown
        self.df[ids] += 1
        self.n_alive += 1
        self._delta = None

    def forget(self, slot: int) -> None:
        """Take a document out of the statistics (its slot is masked by the owner)."""
        self.df[self.doc_ids[slot]] -= 1
        self.n_alive -= 1

    def rebuild(self, keep: Sequence[int] | None = None) -> None:
        """Full build: optionally keep only the given slots (compaction), refreeze avgdl."""
        if keep is not None:
            self.doc_ids = [self.doc_ids[i] for i in keep]
            self.doc_tfs = [self.doc_tfs[i] for i in keep]
            self.dl = [self.dl[i] for i in keep]
            all_ids = np.concatenate(self.doc_ids) if self.doc_ids else np.zeros(0, np.int32)
            self.df = np.bincount(all_ids, minlength=len(self.terms)).astype(np.int64)
            self.n_alive = len(self.doc_ids)
        self.avgdl = max(float(np.mean(self.dl)), 1e-9) if self.dl else 1.0
        self._main = self._build(0, len(self.doc_ids))
        self._main_rows = len(self.doc_ids)
        self._delta = None

    def _build(self, start: int, stop: int) -> _Csc:
        n = stop - start
        if n == 0:
            return _Csc(
                np.zeros(len(self.terms) + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32), len(self.terms)
            )
        ids = np.concatenate(self.doc_ids[start:stop])
        tfs = np.concatenate(self.doc_tfs[start:stop])
        lens = np.fromiter((len(a) for a in self.doc_ids[start:stop]), np.int64, n)
        rows = np.repeat(np.arange(n, dtype=np.int32), lens)
        dl = np.asarray(self.dl[start:stop], np.float32)[rows]
        norm = self.k1 * (1.0 - self.b + self.b * dl / np.float32(self.avgdl))
        weights = (tfs * np.float32(self.k1 + 1.0) / (tfs + norm)).astype(np.float32)
        mat = sp.csc_matrix((weights, (rows, ids)), shape=(n, len(self.terms)), dtype=np.float32)
        return _Csc(mat.indptr.astype(np.int64), mat.indices.astype(np.int32), mat.data, len(self.terms))

    # -- querying ---------------------------------------------------------------------
    def query(self, counts: Mapping[str, float], max_df: float = 1.0) -> QueryVector:
        """IDF-weighted vector of the query terms this channel knows.

        Terms in more than ``max_df`` of the documents are dropped (a speed knob: their
        IDF is low and their posting lists long) unless nothing would remain.
        """
        vocab = self.vocab
        pairs = [(vocab[t], q) for t, q in counts.items() if t in vocab]
        ids = np.fromiter((p[0] for p in pairs), np.int32, len(pairs))
        qtf = np.fromiter((p[1] for p in pairs), np.float32, len(pairs))
        df = self.df[ids].astype(np.float32)
        n = np.float32(self.n_alive)
        live = (df > 0) & (df <= max_df * n)
        if not live.any():
            live = df > 0
        ids, qtf, df = ids[live], qtf[live], df[live]
        idf = np.log1p((n - df + np.float32(0.5)) / (df + np.float32(0.5)))
        weights = (idf * qtf).astype(np.float32)
        return QueryVector(ids, weights, float(weights.sum()) * (self.k1 + 1.0))

    def scores(self, q: QueryVector, n_slots: int) -> F64:
        """Raw BM25 score of every slot (dead slots are the owner's business).

        The query's columns are gathered and summed with one ``bincount``, which is
        about twice as fast as adding column by column.
        """
        if self._main is None:
            self.rebuild()
        if self._delta is None:
            self._delta = self._build(self._main_rows, len(self.doc_ids))
        assert self._main is not None
        rows: list[npt.NDArray[np.int32]] = []
        vals: list[npt.NDArray[np.float32]] = []
        for seg, offset in ((self._main, 0), (self._delta, self._main_rows)):
            ids = q.ids[q.ids < seg.n_terms]
            if not len(ids) or not len(seg.data):
                continue
            starts, ends = seg.indptr[ids], seg.indptr[ids + 1]
            pairs = list(zip(starts.tolist(), ends.tolist(), strict=True))
            r = np.concatenate([seg.indices[s:e] for s, e in pairs])
            rows.append(r + offset if offset else r)
            w = q.weights[q.ids < seg.n_terms]
            vals.append(np.repeat(w, ends - starts) * np.concatenate([seg.data[s:e] for s, e in pairs]))
        if not rows:
            return np.zeros(n_slots, np.float64)
        r_all = rows[0] if len(rows) == 1 else np.concatenate(rows)
        v_all = vals[0] if len(vals) == 1 else np.concatenate(vals)
        out: F64 = np.bincount(r_all, weights=v_all, minlength=n_slots).astype(np.float64, copy=False)
        return out

    def doc_weights(self, slot: int, q: QueryVector) -> F32:
        """Per-query-term BM25 contribution in one slot (same order as ``q.ids``)."""
        ids, tfs = self.doc_ids[slot], self.doc_tfs[slot]
        if len(ids) == 0 or len(q.ids) == 0:
            return np.zeros(len(q.ids), np.float32)
        pos = np.minimum(np.searchsorted(ids, q.ids), len(ids) - 1)
        tf = np.where(ids[pos] == q.ids, tfs[pos], np.float32(0.0))
        norm = self.k1 * (1.0 - self.b + self.b * self.dl[slot] / self.avgdl)
        return (q.weights * tf * np.float32(self.k1 + 1.0) / (tf + np.float32(norm))).astype(np.float32)

    # -- persistence ------------------------------------------------------------------
    def arrays(self, prefix: str) -> dict[str, npt.NDArray[np.generic]]:
        """Flat arrays for ``numpy.savez`` (per-document counts, not the derived matrix)."""
        lens = np.fromiter((len(a) for a in self.doc_ids), np.int64, len(self.doc_ids))
        empty = np.zeros(0, np.int32)
        return {
            f"{prefix}_ids": np.concatenate(self.doc_ids) if self.doc_ids else empty,
            f"{prefix}_tfs": np.concatenate(self.doc_tfs) if self.doc_tfs else empty.astype(np.float32),
            f"{prefix}_lens": lens,
        }

    @classmethod
    def from_arrays(
        cls, k1: float, b: float, terms: list[str], arrays: Mapping[str, npt.NDArray[np.generic]], prefix: str
    ) -> Channel:
        """Inverse of :meth:`arrays`; rebuilds the matrix without re-tokenizing."""
        ch = cls(k1, b)
        ch.terms = list(terms)
        ch.vocab = {t: i for i, t in enumerate(ch.terms)}
        bounds = np.cumsum(np.asarray(arrays[f"{prefix}_lens"], np.int64))[:-1]
        ch.doc_ids = list(np.split(np.asarray(arrays[f"{prefix}_ids"], np.int32), bounds))
        ch.doc_tfs = list(np.split(np.asarray(arrays[f"{prefix}_tfs"], np.float32), bounds))
        if not len(arrays[f"{prefix}_lens"]):
            ch.doc_ids, ch.doc_tfs = [], []
        ch.dl = [float(t.sum()) for t in ch.doc_tfs]
        ch.rebuild(keep=range(len(ch.doc_ids)))
        return ch
