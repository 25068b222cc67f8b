"""One BM25 channel: vocabulary, per-document term counts (CSR), precomputed weights (CSC).

The weight matrix stores the saturated term-frequency part of BM25,
``tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``; the IDF is applied to the query
weights at query time.  Adding a document therefore never changes stored weights:
``avgdl`` is frozen at the last full build, and documents added since then live in small
per-term delta posting lists until the owner calls :meth:`Channel.rebuild`.

Storage is compact: term counts of built documents in one CSR matrix (what add, remove,
rebuild, persistence and per-hit contributions need), weights in one CSC matrix (what a
query needs).  A query gathers its columns and scatter-adds them with two calls into
scipy's compiled sparse kernels (``csr_row_index`` picks the columns, ``csc_matvec`` adds
them up), so its cost is the length of its posting lists, not a Python loop per term.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, repeat

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

try:  # compiled kernels behind scipy.sparse; the numpy fallback below gives the same sums
    from scipy.sparse import _sparsetools

    _KERNELS = hasattr(_sparsetools, "csr_row_index") and hasattr(_sparsetools, "csc_matvec")
except ImportError:  # pragma: no cover
    _sparsetools = None
    _KERNELS = False

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
IArr = npt.NDArray[np.signedinteger]


@dataclass(frozen=True)
class Encoded:
    """Term counts of a batch of documents against a local vocabulary (CSR rows = documents)."""

    terms: list[str]
    indptr: I64
    indices: I32
    data: F32


@dataclass(frozen=True)
class QueryVector:
    """Known query terms of one channel with their IDF-weighted query weights."""

    ids: I64
    weights: F32
    upper: float  # the score of a document saturating every query term


@dataclass(frozen=True)
class _Stats:
    """A built channel's per-term query tables for one ``max_df``.

    ``seen`` maps each query term met so far (known terms only, so it is bounded by the
    vocabulary) to (term id, IDF as a Python float, kept at ``max_df``).
    """

    max_df: float
    keep: npt.NDArray[np.bool_]
    idf: F64
    seen: dict[str, tuple[int, float, bool]]


EMPTY_QUERY = QueryVector(np.zeros(0, np.int64), np.zeros(0, np.float32), 0.0)


def _empty_rows(n_cols: int) -> sp.csr_matrix:
    return sp.csr_matrix((0, n_cols), dtype=np.float32)


def _stack_rows(blocks: Sequence[tuple[IArr, IArr, F32]], n_cols: int) -> sp.csr_matrix:
    """Concatenate CSR blocks given as (indptr, indices, data) into one matrix."""
    if not blocks:
        return _empty_rows(n_cols)
    offsets = np.cumsum([0] + [int(b[0][-1]) for b in blocks])
    tails = [np.asarray(b[0][1:], np.int64) + off for b, off in zip(blocks, offsets, strict=False)]
    indptr = np.concatenate([np.zeros(1, np.int64), *tails])
    indices = np.concatenate([np.asarray(b[1], np.int32) for b in blocks])
    data = np.concatenate([np.asarray(b[2], np.float32) for b in blocks])
    return _csr(data, indices, indptr, (len(indptr) - 1, n_cols))


def _csr(data: F32, indices: IArr, indptr: IArr, shape: tuple[int, int]) -> sp.csr_matrix:
    """A CSR matrix whose index arrays share one dtype (int32 when it fits)."""
    idx = np.int32 if int(indptr[-1]) < 2**31 - 1 and shape[1] < 2**31 - 1 else np.int64
    return sp.csr_matrix(
        (data, np.asarray(indices, idx), np.asarray(indptr, idx)), shape=shape, dtype=np.float32, copy=False
    )


def gather(indptr: IArr, indices: IArr, data: F32, cols: IArr, weights: F32, out: F32) -> None:
    """``out[r] += sum_j weights[j] * M[r, cols[j]]`` for a CSC matrix M (rows < len(out)).

    Two calls into scipy's compiled kernels: ``csr_row_index`` copies the selected columns
    (CSC columns are CSR rows of the transpose) and ``csc_matvec`` scatter-adds them.
    """
    starts = indptr[cols]
    lens = indptr[cols + 1] - starts
    total = int(lens.sum())
    if not total:
        return
    if _KERNELS:
        ptr = np.zeros(len(cols) + 1, indptr.dtype)
        np.cumsum(lens, out=ptr[1:])
        rows = np.empty(total, indptr.dtype)
        vals = np.empty(total, np.float32)
        _sparsetools.csr_row_index(len(cols), cols, indptr, indices, data, rows, vals)
        _sparsetools.csc_matvec(len(out), len(cols), ptr, rows, vals, weights, out)
    else:  # pragma: no cover - the same sums in numpy
        first = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        pos = np.arange(total) + first
        np.add.at(out, indices[pos], data[pos] * np.repeat(weights, lens))


class Channel:
    """A BM25 index over one kind of feature (character n-grams or words)."""

    def __init__(self, k1: float, b: float) -> None:
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.df: I64 = np.zeros(1, np.int64)  # per term, then at least one zero sentinel
        self.n_alive = 0
        self.avgdl = 1.0
        self._rows: sp.csr_matrix = _empty_rows(0)  # counts of built slots [0, n_built)
        self._dl: F64 = np.zeros(0, np.float64)  # document length of every slot (built + pending)
        self._pending: list[tuple[I64, F32]] = []  # counts of slots added since the build
        self._delta: dict[int, tuple[list[int], list[float]]] = {}  # term -> pending (slot, weight)
        self._csc: tuple[IArr, IArr, F32] | None = None  # weights of the last build, until taken
        self._built_cols = -1  # columns of the last build (-1: never built)
        # Per-term IDF and "kept at this max_df" mask, valid while the statistics are those
        # of the last build (``None`` after any add or removal: queries then compute directly).
        self._frozen = False
        self._idf: dict[float, _Stats] = {}  # per max_df: short and long queries use different cut-offs

    # -- shape ------------------------------------------------------------------------
    @property
    def n_built(self) -> int:
        return int(self._rows.shape[0])

    @property
    def built(self) -> bool:
        """Whether the weight matrix exists (the owner builds it before the first query)."""
        return self._built_cols >= 0

    def take_weights(self) -> tuple[IArr, IArr, F32]:
        """The weight matrix (CSC indptr, row indices, data) of the last build; the channel drops it."""
        assert self._csc is not None, "rebuild() first"
        csc, self._csc = self._csc, None
        return csc

    @property
    def n_slots(self) -> int:
        return self.n_built + len(self._pending)

    def row(self, slot: int) -> tuple[IArr, F32]:
        """Term ids and weighted counts of one slot."""
        if slot < self.n_built:
            a, b = int(self._rows.indptr[slot]), int(self._rows.indptr[slot + 1])
            return self._rows.indices[a:b], self._rows.data[a:b]
        return self._pending[slot - self.n_built]

    def _grow_df(self) -> None:
        if len(self.terms) >= len(self.df):  # keep a zero sentinel after the last term
            grown = np.zeros(max(len(self.terms) + 1, 2 * len(self.df)), np.int64)
            grown[: len(self.df)] = self.df
            self.df = grown

    def _tf_part(self, tf: F32, dl: F32 | np.float32 | float) -> F32:
        norm = np.float32(self.k1) * (np.float32(1.0 - self.b) + np.float32(self.b / self.avgdl) * dl)
        out: F32 = (tf * np.float32(self.k1 + 1.0) / (tf + norm)).astype(np.float32, copy=False)
        return out

    # -- changes ----------------------------------------------------------------------
    def append(self, counts: Mapping[str, float]) -> None:
        """Add one document's weighted term counts as the next slot (delta postings)."""
        vocab, terms = self.vocab, self.terms
        ids_list = []
        for term in counts:
            tid = vocab.get(term)
            if tid is None:
                tid = vocab[term] = len(terms)
                terms.append(term)
            ids_list.append(tid)
        ids = np.asarray(ids_list, np.int64)
        tfs = np.fromiter(counts.values(), np.float32, len(counts))
        slot = self.n_slots
        self._pending.append((ids, tfs))
        dl = float(tfs.sum())
        if slot >= len(self._dl):
            grown = np.zeros(max(slot + 1, 2 * len(self._dl)), np.float64)
            grown[: len(self._dl)] = self._dl
            self._dl = grown
        self._dl[slot] = dl
        self._grow_df()
        self.df[ids] += 1
        self.n_alive += 1
        self._frozen, self._idf = False, {}
        delta = self._delta
        for tid, w in zip(ids_list, self._tf_part(tfs, np.float32(dl)).tolist(), strict=True):
            entry = delta.get(tid)
            if entry is None:
                delta[tid] = ([slot], [w])
            else:
                entry[0].append(slot)
                entry[1].append(w)

    def extend(self, batches: Iterable[Encoded], pick: IArr | None = None) -> None:
        """Append documents encoded against local vocabularies; call :meth:`rebuild` next.

        ``pick`` selects (and may repeat) rows of the concatenated batches: documents with
        the same text share one encoded row.
        """
        vocab = self.vocab
        blocks: list[tuple[IArr, IArr, F32]] = []
        for enc in batches:
            remap = np.fromiter((vocab.setdefault(t, len(vocab)) for t in enc.terms), np.int32, len(enc.terms))
            blocks.append((enc.indptr, remap[enc.indices], enc.data))
        if len(vocab) > len(self.terms):
            self.terms.extend(islice(vocab, len(self.terms), None))
        new = _stack_rows(blocks, len(self.terms))
        if pick is not None:
            new = new[np.asarray(pick, np.int64)]
        self._flush_pending(extra=new)

    def _flush_pending(self, extra: sp.csr_matrix | None = None) -> None:
        """Move pending slots (and ``extra`` rows) into the CSR of counts (no weights yet)."""
        if not self._pending and extra is None:
            return
        blocks: list[tuple[IArr, IArr, F32]] = []
        if self.n_built:
            blocks.append((self._rows.indptr, self._rows.indices, self._rows.data))
        if self._pending:
            lens = np.fromiter((len(p[0]) for p in self._pending), np.int64, len(self._pending))
            indptr = np.concatenate([np.zeros(1, np.int64), np.cumsum(lens)])
            ids = np.concatenate([p[0] for p in self._pending])
            blocks.append((indptr, ids, np.concatenate([p[1] for p in self._pending])))
        if extra is not None and extra.shape[0]:
            blocks.append((extra.indptr, extra.indices, extra.data))
        self._rows = _stack_rows(blocks, len(self.terms))
        self._pending = []
        self._delta = {}

    def forget(self, slot: int) -> None:
        """Take a document out of the statistics (its slot is masked by the owner)."""
        self.df[self.row(slot)[0]] -= 1
        self.n_alive -= 1
        self._frozen, self._idf = False, {}

    def rebuild(self, keep: IArr | None = None) -> None:
        """Full build: optionally keep only the given slots (compaction), refreeze avgdl."""
        self._flush_pending()
        rows = self._rows
        if keep is not None:
            rows = rows[np.asarray(keep, np.int64)]
        n, n_cols = int(rows.shape[0]), len(self.terms)
        if rows.shape[1] != n_cols:
            rows = _csr(rows.data, rows.indices, rows.indptr, (n, n_cols))
        self._rows = rows
        self.df = np.bincount(rows.indices, minlength=n_cols + 1).astype(np.int64)  # + zero sentinel
        self.n_alive = n
        cum = np.concatenate([np.zeros(1), np.cumsum(rows.data, dtype=np.float64)])
        self._dl = cum[rows.indptr[1:]] - cum[rows.indptr[:-1]]
        del cum
        self.avgdl = max(float(self._dl.mean()), 1e-9) if n else 1.0
        norm = (np.float32(self.k1) * (1.0 - self.b + self.b * self._dl / self.avgdl)).astype(np.float32)
        lens = np.diff(rows.indptr)
        data = rows.data + np.repeat(norm, lens)  # tf + norm, per stored count
        np.divide(rows.data * np.float32(self.k1 + 1.0), data, out=data)
        csc = _csr(data, rows.indices, rows.indptr, (n, n_cols)).tocsc()
        del data
        idx = np.result_type(csc.indptr.dtype, csc.indices.dtype)
        self._csc = (
            csc.indptr.astype(idx, copy=False),
            csc.indices.astype(idx, copy=False),
            csc.data.astype(np.float32, copy=False),
        )
        self._built_cols = n_cols
        self._frozen, self._idf = True, {}

    # -- querying ---------------------------------------------------------------------
    def query(self, counts: Mapping[str, float], max_df: float = 1.0) -> QueryVector:
        """IDF-weighted vector of the query terms this channel knows.

        Terms in more than ``max_df`` of the documents are dropped (a speed knob: their
        IDF is low and their posting lists long) unless nothing would remain.
        """
        if not counts:
            return EMPTY_QUERY
        if self._frozen:  # statistics of the last build: per-term entries, computed once
            stats = self._idf.get(max_df)
            if stats is None:
                stats = self._idf[max_df] = self._stats(max_df)
            vocab, seen = self.vocab, stats.seen
            kept: list[int] = []
            idfs: list[float] = []
            qtfs: list[float] = []
            for term, qtf_ in counts.items():
                entry = seen.get(term)
                if entry is None:
                    tid = vocab.get(term)
                    if tid is None:
                        continue
                    entry = seen[term] = (tid, float(stats.idf[tid]), bool(stats.keep[tid]))
                if entry[2]:
                    kept.append(entry[0])
                    idfs.append(entry[1])
                    qtfs.append(qtf_)
            if kept:  # else the direct path below (it falls back to every known term)
                weights = (np.array(idfs) * np.array(qtfs, np.float32)).astype(np.float32)
                return QueryVector(np.array(kept, np.int64), weights, float(weights.sum()) * (self.k1 + 1.0))
        n = self.n_alive
        ids = np.fromiter(map(self.vocab.get, counts, repeat(-1)), np.int64, len(counts))
        df = self.df[ids]  # unknown terms (-1) read the zero sentinel at the end of df
        live = (df > 0) & (df <= max_df * n)
        if not live.any():
            live = df > 0
            if not live.any():
                return EMPTY_QUERY
        qtf = np.fromiter(counts.values(), np.float32, len(counts))
        ids, qtf, df = ids[live], qtf[live], df[live]
        weights = (np.log1p((n + 0.5 - df) / (df + 0.5)) * qtf).astype(np.float32)
        return QueryVector(ids, weights, float(weights.sum()) * (self.k1 + 1.0))

    def _stats(self, max_df: float) -> _Stats:
        """Per-term keep mask and IDF for ``max_df`` (the same arithmetic as the direct path)."""
        df, n = self.df, self.n_alive
        keep = (df > 0) & (df <= max_df * n)
        return _Stats(max_df, keep, np.log1p((n + 0.5 - df) / (df + 0.5)), {})

    def columns(self, q: QueryVector, scale: float) -> tuple[I64, F32]:
        """The query's terms that have a column in the built weight matrix, and their scaled weights."""
        if len(self.terms) == self._built_cols:  # no term added since the build: all have a column
            return q.ids, q.weights * np.float32(scale)
        inside = q.ids < self._built_cols
        if inside.all():
            return q.ids, q.weights * np.float32(scale)
        return q.ids[inside], q.weights[inside] * np.float32(scale)

    def accumulate_delta(self, q: QueryVector, scale: float, out: F32) -> None:
        """``out[slot - n_built] += scale * (raw BM25 score)`` for slots added since the build."""
        delta = self._delta
        if not delta or not len(q.ids):
            return
        slots: list[int] = []
        vals: list[float] = []
        for tid, w in zip(q.ids.tolist(), (q.weights * np.float32(scale)).tolist(), strict=True):
            entry = delta.get(tid)
            if entry is not None:
                slots.extend(entry[0])
                vals.extend([v * w for v in entry[1]])
        if slots:
            np.add.at(out, np.asarray(slots, np.int64) - self.n_built, np.asarray(vals, np.float32))

    def contributions(self, slots: Sequence[int], q: QueryVector) -> F64:
        """Per-query-term BM25 contribution in each slot: shape (len(slots), len(q.ids))."""
        out = np.zeros((len(slots), len(q.ids)), np.float64)
        if not len(q.ids) or not len(slots):
            return out
        parts = [self.row(s) for s in slots]
        lens = np.fromiter((len(p[0]) for p in parts), np.int64, len(parts))
        if not lens.sum():
            return out
        ids = np.concatenate([p[0] for p in parts]).astype(np.int64, copy=False)
        tfs = np.concatenate([p[1] for p in parts])
        which = np.repeat(np.arange(len(parts)), lens)
        order = np.argsort(q.ids, kind="stable")
        sorted_ids = q.ids[order]
        pos = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        hit = sorted_ids[pos] == ids
        which, col, tf = which[hit], order[pos[hit]], tfs[hit]
        dl = self._dl[np.asarray(slots, np.int64)][which].astype(np.float32)
        out[which, col] = q.weights[col] * self._tf_part(tf, dl)
        return out

    # -- persistence ------------------------------------------------------------------
    def arrays(self, prefix: str) -> dict[str, npt.NDArray[np.generic]]:
        """Flat arrays for ``numpy.savez`` (per-document counts, not the derived matrix)."""
        rows = self._rows
        if self._pending:  # without touching the built state
            lens = np.fromiter((len(p[0]) for p in self._pending), np.int64, len(self._pending))
            ids = np.concatenate([p[0] for p in self._pending])
            tfs = np.concatenate([p[1] for p in self._pending])
            pending = (np.concatenate([np.zeros(1, np.int64), np.cumsum(lens)]), ids, tfs)
            rows = _stack_rows([(rows.indptr, rows.indices, rows.data), pending], len(self.terms))
        return {
            f"{prefix}_ids": np.asarray(rows.indices, np.int32),
            f"{prefix}_tfs": np.asarray(rows.data, np.float32),
            f"{prefix}_lens": np.diff(rows.indptr).astype(np.int64),
        }

    @classmethod
    def from_arrays(
        cls, k1: float, b: float, terms: list[str], arrays: Mapping[str, npt.NDArray[np.generic]], prefix: str
    ) -> Channel:
        """Inverse of :meth:`arrays`; rebuilds the matrix without re-tokenizing."""
        ch = cls(k1, b)
        ch.terms = list(terms)
        ch.vocab = {t: i for i, t in enumerate(ch.terms)}
        lens = np.asarray(arrays[f"{prefix}_lens"], np.int64)
        indptr = np.concatenate([np.zeros(1, np.int64), np.cumsum(lens)])
        ids = np.asarray(arrays[f"{prefix}_ids"], np.int32)
        tfs = np.asarray(arrays[f"{prefix}_tfs"], np.float32)
        ch._rows = _csr(tfs, ids, indptr, (len(lens), len(ch.terms)))
        ch.rebuild()
        return ch
