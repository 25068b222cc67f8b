"""Frozen dataclasses that go in and out of the engine."""

from __future__ import annotations

from dataclasses import dataclass

Contribution = tuple[str, float]


@dataclass(frozen=True)
class Document:
    """A searchable record: a research result or a technology need.

    Empty fields are simply absent for ranking: their field weight has no effect.
    """

    id: str
    title: str = ""
    text: str = ""
    keywords: tuple[str, ...] = ()
    chain: str | None = None
    indicators: str = ""  # stated technical indicators of a need (weighted like the title)


@dataclass(frozen=True)
class Hit:
    """One ranked match.

    ``score`` is in [0, 1]: the fused score divided by the query's own maximum
    achievable score (a document holding every query term with saturated term
    frequency would score 1).  It is comparable across queries, so a minimum-score
    threshold means "covers at least this share of the query's weighted terms".
    ``raw_score`` is the sum of the two channels' plain BM25 scores (not bounded).
    ``contributions`` sum to ``score``; ``terms`` are human-readable shared terms
    (merged character runs and words), strongest first.
    """

    doc_id: str
    score: float
    raw_score: float
    terms: tuple[str, ...] = ()
    contributions: tuple[Contribution, ...] = ()


@dataclass(frozen=True)
class Span:
    """A highlighted stretch ``text[start:end]`` of one field of the original (unnormalized) text."""

    field: str
    start: int
    end: int
    term: str


@dataclass(frozen=True)
class Explanation:
    """Why a document matched a query: shared terms, their weight, and where they are."""

    doc_id: str
    score: float
    raw_score: float
    terms: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    query_spans: tuple[Span, ...]
    doc_spans: tuple[Span, ...]
    reason: str = ""  # one line a person reads: "都涉及 交叉滚子轴承 的 国产化 与 精度"
    synonyms: tuple[tuple[str, str], ...] = ()  # (query word, technical term it was expanded to) found in the document


@dataclass(frozen=True)
class Chain:
    """An industrial chain and its lexicon (from ``chains.json``)."""

    code: str
    name: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class DuplicatePair:
    """Two documents whose character-shingle Jaccard similarity passed the threshold."""

    first: str
    second: str
    similarity: float


@dataclass(frozen=True)
class IndexConfig:
    """Ranking parameters; the defaults are the tuned ones (see bench/README.md)."""

    k1: float = 0.5
    b: float = 0.75
    word_k1: float = 0.5
    word_b: float = 0.75
    word_weight: float = 0.5
    title_weight: float = 2.0
    keywords_weight: float = 2.0
    text_weight: float = 1.0
    use_unigrams: bool = True
    use_words: bool = True
    strip_boilerplate: bool = True
    fusion: str = "bound"
    max_df: float = 0.1
    # Queries of at most ``short_query_terms`` character terms keep their frequent terms up to
    # ``short_query_max_df`` (1.0: all of them): in two keywords a frequent term (温度, 模拟) is half
    # of what was asked, while in a paragraph it is noise and a long posting list.
    short_query_terms: int = 60
    short_query_max_df: float = 1.0
    max_query_chars: int = 4000
    indicators_weight: float = 2.0  # stated technical indicators weigh like the title
    # Queries only.  Synonym expansion: a technical term a firm word maps to counts this much
    # of a typed term (never more than the typed term itself).
    synonym_weight: float = 0.5
    # Queries only.  Each part between spaces or list/clause punctuation (a typed keyword, a clause)
    # spreads its field weight over its n grams as weight / n ** exponent: without it a long keyword
    # (多核处理器, 9 grams) outweighs a rare short one (COStream, 1 gram) by its length alone.  0: off.
    # 0.5 gained on both benchmarks once the firm-needs pairs it brings up were graded (bench/README.md).
    query_run_exponent: float = 0.5
    # Long needs: in a narrative of at least ``long_text_chars`` characters, a term that occurs
    # once there and nowhere in the title, keywords or indicators counts this much.
    narrative_damping: float = 0.5
    long_text_chars: int = 120
    # Sense: a query term whose documents mostly sit in other chains than the query's counts
    # down to ``sense_floor`` of its weight (1.0: off); "mostly" = its share of documents in the
    # query's chain below ``sense_share``.  Needs chain labels on the index (Index.label_chains).
    sense_floor: float = 1.0
    sense_share: float = 0.5
