"""Documents and queries to weighted term counts for the two BM25 channels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.types import Document, IndexConfig

Counts = dict[str, float]


@dataclass(frozen=True)
class Features:
    """Weighted term counts of one document or query, per channel."""

    chars: Counts
    words: Counts
    runs: tuple[tuple[str, ...], ...] = ()  # query character runs, for readable terms


def _fields(doc: Document, config: IndexConfig) -> list[tuple[str, float]]:
    fields = [
        (doc.title, config.title_weight),
        ("\n".join(doc.keywords), config.keywords_weight),
        (doc.text, config.text_weight),
    ]
    return [(text, w) for text, w in fields if text and text.strip() and w > 0]


def _accumulate(counts: Counts, terms: Iterable[str], weight: float) -> None:
    get = counts.get
    for term in terms:
        counts[term] = get(term, 0.0) + weight


def analyze(analyzer: Analyzer, config: IndexConfig, doc: Document, *, query: bool = False) -> Features:
    """Weighted counts of a document's fields; as a query, boilerplate-stripped and truncated."""
    chars: Counts = {}
    words: Counts = {}
    runs: list[tuple[str, ...]] = []
    for text, weight in _fields(doc, config):
        norm = analyzer.normalize(text)
        if query:
            norm = norm[: config.max_query_chars]
            if config.strip_boilerplate:
                norm = analyzer.strip_boilerplate(norm)
            runs.extend(tuple(r) for r in analyzer.char_runs(norm))
        _accumulate(chars, analyzer.char_grams(norm, unigrams=config.use_unigrams), weight)
        if config.use_words:
            _accumulate(words, analyzer.words(norm), weight)
    return Features(chars, words, tuple(runs))


def as_document(query: str | Document) -> Document:
    """A plain-text query is a document with only a text field."""
    if isinstance(query, Document):
        return query
    return Document(id="", text=query if isinstance(query, str) else "")


_WORKER: tuple[Analyzer, IndexConfig] | None = None


def _init_worker(analyzer: Analyzer, config: IndexConfig) -> None:
    global _WORKER
    _WORKER = (analyzer, config)


def _analyze_in_worker(doc: Document) -> Features:
    assert _WORKER is not None
    return analyze(_WORKER[0], _WORKER[1], doc)


def analyze_many(analyzer: Analyzer, config: IndexConfig, docs: Sequence[Document], workers: int = 1) -> list[Features]:
    """Analyze documents, optionally in worker processes (the analyzer pickles as its config)."""
    if workers <= 1 or len(docs) < 2000:
        return [analyze(analyzer, config, d) for d in docs]
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(analyzer, config)) as pool:
        return pool.map(_analyze_in_worker, docs, chunksize=256)
