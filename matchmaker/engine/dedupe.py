"""Near-duplicate detection with character shingles (punctuation and spacing ignored).

Similarity is the Jaccard index of 3-character shingle sets of the normalized text
without punctuation or whitespace.  A copy with a few characters changed, punctuation
changed or sentences reordered keeps most shingles (typically >= 0.7); two different
texts on the same topic share few 3-grams (typically < 0.2).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.types import Document, DuplicatePair

if TYPE_CHECKING:
    from matchmaker.engine.index import Index

U64 = npt.NDArray[np.uint64]
SHINGLE = 3
DEFAULT_THRESHOLD = 0.6
_RUN = re.compile(r"[^\W_]+")
_PRIME = (1 << 31) - 1
_BANDS, _ROWS = 32, 2  # MinHash: a pair at Jaccard 0.5 is a candidate with p > 0.9999


def full_text(doc: Document | str) -> str:
    """Title, keywords and text of a document as one string."""
    if isinstance(doc, str):
        return doc
    return "\n".join([doc.title, *doc.keywords, doc.text])


def shingles(analyzer: Analyzer, text: str) -> frozenset[str]:
    """3-character shingles of the normalized text with punctuation and spaces removed."""
    chars = "".join(_RUN.findall(analyzer.normalize(text)))
    if len(chars) <= SHINGLE:
        return frozenset({chars}) if chars else frozenset()
    return frozenset(chars[i : i + SHINGLE] for i in range(len(chars) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity(analyzer: Analyzer, a: Document | str, b: Document | str) -> float:
    """Shingle Jaccard similarity of two documents or texts."""
    return jaccard(shingles(analyzer, full_text(a)), shingles(analyzer, full_text(b)))


def near_duplicates(
    index: Index, doc: Document | str, threshold: float = DEFAULT_THRESHOLD, candidates: int = 50
) -> list[tuple[str, float]]:
    """Indexed documents at least ``threshold`` similar to ``doc`` (itself excluded), best first."""
    own_id = doc.id if isinstance(doc, Document) else None
    query = doc if isinstance(doc, Document) else Document(id="", text=doc)
    base = shingles(index.analyzer, full_text(doc))
    out: list[tuple[str, float]] = []
    for hit in index.search(query, k=candidates, with_terms=False):
        other = index.get(hit.doc_id)
        if other is None or hit.doc_id == own_id:
            continue
        sim = jaccard(base, shingles(index.analyzer, full_text(other)))
        if sim >= threshold:
            out.append((hit.doc_id, sim))
    return sorted(out, key=lambda p: (-p[1], p[0]))


def _signature(sh: frozenset[str], a: U64, b: U64) -> U64:
    x = np.fromiter((zlib.crc32(s.encode("utf-8")) & 0xFFFFFFF for s in sh), np.uint64, len(sh))
    if len(x) == 0:
        return np.full(len(a), _PRIME, np.uint64)
    sig: U64 = ((a[:, None] * x[None, :] + b[:, None]) % np.uint64(_PRIME)).min(axis=1)
    return sig


def find_duplicates(
    docs: Iterable[Document],
    analyzer: Analyzer,
    threshold: float = DEFAULT_THRESHOLD,
    pause: Callable[[], object] | None = None,
) -> list[DuplicatePair]:
    """All pairs at least ``threshold`` similar (MinHash banding for candidates, exact Jaccard).

    ``pause`` is called between documents: a background caller lets other threads of its process run.
    """
    docs = list(docs)
    rng = np.random.default_rng(20240501)
    a = rng.integers(1, _PRIME, _BANDS * _ROWS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, _BANDS * _ROWS, dtype=np.uint64)
    sets = [shingles(analyzer, full_text(d)) for d in docs]
    buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        if pause is not None:
            pause()
        if not sh:
            continue
        sig = _signature(sh, a, b).reshape(_BANDS, _ROWS).tolist()
        for band, rows in enumerate(sig):
            buckets[(band, *rows)].append(i)
    pairs = {p for members in buckets.values() if len(members) > 1 for p in combinations(members, 2)}
    out = []
    for i, j in pairs:
        sim = jaccard(sets[i], sets[j])
        if sim >= threshold and docs[i].id != docs[j].id:
            out.append(DuplicatePair(docs[i].id, docs[j].id, sim))
    return sorted(out, key=lambda p: (-p.similarity, p.first, p.second))
