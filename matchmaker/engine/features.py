"""Documents and queries to weighted term counts for the two BM25 channels."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.bm25 import Encoded
from matchmaker.engine.synonyms import Synonyms
from matchmaker.engine.types import Document, IndexConfig

Counts = dict[str, float]


@dataclass(frozen=True)
class Features:
    """Weighted term counts of one document or query, per channel."""

    chars: Counts
    words: Counts
    runs: tuple[tuple[str, ...], ...] = ()  # query character runs, for readable terms
    # Queries with synonym expansion: the typed terms alone (the score bound) and the pairs used.
    typed_chars: Counts | None = None
    typed_words: Counts | None = None
    expansions: tuple[tuple[str, str], ...] = ()


_NARRATIVE = "text"


def _fields(doc: Document, config: IndexConfig) -> list[tuple[str, str, float]]:
    fields = [
        ("title", doc.title, config.title_weight),
        ("keywords", "\n".join(doc.keywords), config.keywords_weight),
        ("indicators", doc.indicators, config.indicators_weight),
        (_NARRATIVE, doc.text, config.text_weight),
    ]
    return [(name, text, w) for name, text, w in fields if text and text.strip() and w > 0]


def _accumulate(counts: Counts, terms: Iterable[str], weight: float) -> None:
    get = counts.get
    for term in terms:
        counts[term] = get(term, 0.0) + weight


# What separates the parts a person types as separate items: spaces and list or clause punctuation (after NFKC).
_PARTS = re.compile(r"[\s,、;。!?:]+")


def _accumulate_parts(counts: Counts, analyzer: Analyzer, norm: str, weight: float, config: IndexConfig) -> list[str]:
    """A query field's grams; each typed part (a keyword, a clause) spreads its weight over its n grams."""
    exponent = config.query_run_exponent
    if exponent <= 0:
        grams = analyzer.char_grams(norm, unigrams=config.use_unigrams)
        _accumulate(counts, grams, weight)
        return grams
    out: list[str] = []
    for part in _PARTS.split(norm):
        grams = analyzer.char_grams(part, unigrams=config.use_unigrams)
        if grams:
            _accumulate(counts, grams, weight / len(grams) ** exponent)
            out.extend(grams)
    return out


def _damp_narrative(own: Counts, others: Counts, terms: list[str], damping: float) -> None:
    """Terms that occur once in the narrative (``own``) and in no other field count ``damping`` times as much."""
    seen: dict[str, int] = {}
    for t in terms:
        seen[t] = seen.get(t, 0) + 1
    for t, n in seen.items():
        if n == 1 and t not in others:
            own[t] *= damping


def _merge(into: Counts, extra: Counts) -> None:
    for t, v in extra.items():
        into[t] = into.get(t, 0.0) + v


def analyze(
    analyzer: Analyzer,
    config: IndexConfig,
    doc: Document,
    *,
    query: bool = False,
    synonyms: Synonyms | None = None,
) -> Features:
    """Weighted counts of a document's fields; as a query, boilerplate-stripped and truncated.

    Query only: with ``synonyms``, firm words are expanded to technical terms weighted
    ``config.synonym_weight`` times their field's weight (never above a typed count); with
    ``config.narrative_damping < 1`` and a structured need (title, keywords or indicators
    beside a long narrative), narrative terms found once and nowhere else are damped.
    """
    chars: Counts = {}
    words: Counts = {}
    runs: list[tuple[str, ...]] = []
    norms: list[tuple[str, float]] = []
    fields = _fields(doc, config)
    structured = query and config.narrative_damping < 1.0 and len(fields) > 1
    for name, text, weight in fields:
        norm = analyzer.normalize(text)
        # A long narrative beside other fields is counted apart first, so its one-off terms can be damped.
        damped = structured and name == _NARRATIVE and len(text) >= config.long_text_chars
        field_chars, field_words = ({}, {}) if damped else (chars, words)
        if query:
            norm = norm[: config.max_query_chars]
            if config.strip_boilerplate:
                norm = analyzer.strip_boilerplate(norm)
            units = analyzer.char_runs(norm)
            runs.extend(map(tuple, units))
            grams = _accumulate_parts(field_chars, analyzer, norm, weight, config)
            norms.append((norm, weight))
        else:
            grams = analyzer.char_grams(norm, unigrams=config.use_unigrams)
            _accumulate(field_chars, grams, weight)
        ws = analyzer.words(norm) if config.use_words else []
        _accumulate(field_words, ws, weight)
        if damped:
            _damp_narrative(field_chars, chars, grams, config.narrative_damping)
            _damp_narrative(field_words, words, ws, config.narrative_damping)
            _merge(chars, field_chars)
            _merge(words, field_words)
    if not query or not synonyms or config.synonym_weight <= 0:
        return Features(chars, words, tuple(runs))
    return _expand(analyzer, config, doc, synonyms, norms, Features(chars, words, tuple(runs)))


def _expand(
    analyzer: Analyzer,
    config: IndexConfig,
    doc: Document,
    synonyms: Synonyms,
    norms: list[tuple[str, float]],
    typed: Features,
) -> Features:
    pairs: list[tuple[str, str]] = []
    extra_c: Counts = {}
    extra_w: Counts = {}
    extra_runs: list[tuple[str, ...]] = []
    for norm, weight in norms:
        for word, term in synonyms.expand(norm, doc.chain):
            if (word, term) in pairs:
                continue
            pairs.append((word, term))
            w = weight * config.synonym_weight
            units = analyzer.char_runs(term)
            extra_runs.extend(map(tuple, units))
            term_grams = analyzer.grams_of_runs(units, unigrams=config.use_unigrams)
            grams = set(term_grams)
            # Spread like a typed run of the same length, so an expansion still counts less than typing it.
            w_c = w / max(len(term_grams), 1) ** max(config.query_run_exponent, 0.0)
            for counts, terms, tw in (
                (extra_c, grams, w_c),
                (extra_w, set(analyzer.words(term)) if config.use_words else set(), w),
            ):
                for t in terms:
                    counts[t] = max(counts.get(t, 0.0), tw)
    if not pairs:
        return typed
    chars, words = dict(typed.chars), dict(typed.words)
    for counts, extra in ((chars, extra_c), (words, extra_w)):
        for t, w in extra.items():
            if t not in counts:  # a typed term keeps its own weight
                counts[t] = w
    return Features(chars, words, typed.runs + tuple(extra_runs), typed.chars, typed.words, tuple(pairs))


_SHARED_VALUES: dict[float, float] = {}
_SHARED_VALUES_MAX = 1 << 16


def _shared(counts: Counts) -> Counts:
    values = _SHARED_VALUES
    if len(values) >= _SHARED_VALUES_MAX:
        return {sys.intern(t): v for t, v in counts.items()}
    return {sys.intern(t): values.setdefault(v, v) for t, v in counts.items()}


def compact(feats: Features) -> Features:
    """The same features with their terms, run units and weights shared with every other compacted one.

    A kept query analysis is mostly its terms and run units as separate string objects; many queries use the
    same characters and bigrams, so sharing them keeps about a third of the memory (the query cache holds
    thousands)."""
    return Features(
        _shared(feats.chars),
        _shared(feats.words),
        tuple(tuple(map(sys.intern, run)) for run in feats.runs),
        None if feats.typed_chars is None else _shared(feats.typed_chars),
        None if feats.typed_words is None else _shared(feats.typed_words),
        feats.expansions,
    )


def as_document(query: str | Document) -> Document:
    """A plain-text query is a document with only a text field."""
    if isinstance(query, Document):
        return query
    return Document(id="", text=query if isinstance(query, str) else "")


_WORKER: tuple[Analyzer, IndexConfig] | None = None
_CHUNK = 500  # documents per task when analyzing in worker processes
_MIN_PARALLEL = 2000  # fewer distinct texts than this are analyzed in-process


def _init_worker(analyzer: Analyzer, config: IndexConfig) -> None:
    global _WORKER
    _WORKER = (analyzer, config)


def _analyze_in_worker(doc: Document) -> Features:
    assert _WORKER is not None
    return analyze(_WORKER[0], _WORKER[1], doc)


def _encode_in_worker(docs: list[Document]) -> tuple[Encoded, Encoded]:
    assert _WORKER is not None
    return encode_features(analyze(_WORKER[0], _WORKER[1], d) for d in docs)


def analyze_many(analyzer: Analyzer, config: IndexConfig, docs: Sequence[Document], workers: int = 1) -> list[Features]:
    """Analyze documents, optionally in worker processes (the analyzer pickles as its config)."""
    if workers <= 1 or len(docs) < 2000:
        return [analyze(analyzer, config, d) for d in docs]
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(analyzer, config)) as pool:
        return pool.map(_analyze_in_worker, docs, chunksize=256)


def _encode(counts: Iterable[Counts]) -> Encoded:
    vocab: dict[str, int] = {}
    ids: list[int] = []
    values: list[float] = []
    lens: list[int] = [0]
    for c in counts:
        ids.extend([vocab.setdefault(t, len(vocab)) for t in c])
        values.extend(c.values())
        lens.append(len(c))
    return Encoded(
        list(vocab),
        np.cumsum(np.asarray(lens, np.int64)),
        np.asarray(ids, np.int32),
        np.asarray(values, np.float32),
    )


def encode_features(feats: Iterable[Features]) -> tuple[Encoded, Encoded]:
    """Compact arrays (a local vocabulary and CSR rows) for the two channels of many documents."""
    feats = list(feats)
    return _encode(f.chars for f in feats), _encode(f.words for f in feats)


def encode_many(
    analyzer: Analyzer, config: IndexConfig, docs: Sequence[Document], workers: int = 1
) -> tuple[list[tuple[Encoded, Encoded]], npt.NDArray[np.int64] | None]:
    """Analyze documents into compact per-batch arrays; identical texts are analyzed once.

    Returns the batches (rows = distinct texts, in first-seen order) and, when some
    documents share a text, the row of each document (``None``: one row per document).
    With ``workers > 1`` batches are analyzed in forked worker processes, which send back
    arrays and their batch's vocabulary rather than per-document Python objects.
    """
    first: dict[tuple[str, tuple[str, ...], str], int] = {}
    rows = np.fromiter(
        (first.setdefault((d.title, d.keywords, d.text + "\x00" + d.indicators), len(first)) for d in docs),
        np.int64,
        len(docs),
    )
    unique: list[Document] = list(docs) if len(first) == len(docs) else []
    if not unique:
        seen = np.zeros(len(first), bool)
        for d, r in zip(docs, rows.tolist(), strict=True):
            if not seen[r]:
                seen[r] = True
                unique.append(d)
    pick = None if len(first) == len(docs) else rows
    chunks = [list(unique[i : i + _CHUNK]) for i in range(0, len(unique), _CHUNK)]
    if workers <= 1 or len(unique) < _MIN_PARALLEL:
        return [encode_features(analyze(analyzer, config, d) for d in c) for c in chunks], pick
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(analyzer, config)) as pool:
        return pool.map(_encode_in_worker, chunks, chunksize=1), pick
