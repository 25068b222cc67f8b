"""Shared code of the firm-needs development set (bench/needs/): needs, runs, grades, scores.

The needs in ``bench/needs/needs.jsonl`` were written for this benchmark, the way Zibo firms
write them (6 per chain: 3 one-liners, 3 paragraphs with title, keywords, technical
indicators and a narrative with side clauses).  Grades are 0 (irrelevant), 1 (related),
2 (a researcher the firm should really talk to), given blind on the need and abstract text.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import char_bigrams, top10

from matchmaker.engine import Analyzer, ChainClassifier, Document, Index, IndexConfig, load_chains
from matchmaker.engine.features import Features, analyze_many, encode_features

NEEDS_DIR = Path(__file__).resolve().parent / "needs"
NEEDS = NEEDS_DIR / "needs.jsonl"
POOL = NEEDS_DIR / "pool.jsonl"
GRADES = NEEDS_DIR / "grades.jsonl"
K = 5

Run = dict[str, list[str]]  # need id -> top-5 paper ids


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def append_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("a", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def load_needs() -> list[dict[str, Any]]:
    return read_jsonl(NEEDS)


def need_plain(need: dict[str, Any]) -> str:
    """The whole need as one text (what a peer, or a form with one box, gets)."""
    parts = [need["title"], " ".join(need["keywords"]), need["indicators"], need["text"]]
    return "\n".join(p for p in parts if p)


def need_document(need: dict[str, Any], structured: bool = True, indicators: bool = False) -> Document:
    """The need as the services build it today: title, keywords and text (indicators in the text).

    ``indicators``: the stated technical indicators as their own field (``Document.indicators``).
    """
    if not structured:
        return Document(need["id"], text=need_plain(need), chain=need["chain"])
    if indicators:
        return Document(
            need["id"], need["title"], need["text"], tuple(need["keywords"]), need["chain"], need["indicators"]
        )
    text = "\n".join(p for p in (need["indicators"], need["text"]) if p)
    return Document(need["id"], need["title"], text, tuple(need["keywords"]), need["chain"])


def load_grades() -> dict[tuple[str, str], int]:
    return {(g["need"], g["paper"]): int(g["grade"]) for g in read_jsonl(GRADES)}


class Corpus:
    """All abstracts analyzed once; engine indexes of any configuration built from the same tokens."""

    def __init__(self, papers: list[dict[str, Any]], analyzer: Analyzer) -> None:
        self.papers = papers
        self.analyzer = analyzer
        self.docs = [Document(p["id"], text=p["abstract"]) for p in papers]
        self.feats: list[Features] = analyze_many(analyzer, IndexConfig(), self.docs)
        self._peer: Callable[[str], list[str]] | None = None
        self._labels: dict[str, str | None] | None = None

    def index(self, config: IndexConfig | None = None) -> Index:
        index = Index(self.analyzer, config or IndexConfig())
        chars, words = encode_features(self.feats)
        index._extend(self.docs, [chars], [words])
        return index

    def chain_labels(self, corpus_dir: Path, min_score: float = 0.3) -> dict[str, str | None]:
        """Each abstract's chain by the lexicon classifier (top chain scoring at least ``min_score``)."""
        if self._labels is None:
            classifier = ChainClassifier(load_chains(corpus_dir), self.analyzer)
            self._labels = {}
            for d in self.docs:
                best = classifier.suggest(d.text, k=1, min_score=min_score)
                self._labels[d.id] = best[0][0] if best else None
        return self._labels

    def peer(self) -> Callable[[str], list[str]]:
        """Character-bigram bm25s (k1 1.5, b 0.75), as in quality.py."""
        if self._peer is None:
            import bm25s

            retriever = bm25s.BM25()
            retriever.index([char_bigrams(d.text) for d in self.docs], show_progress=False)
            vocab = retriever.vocab_dict
            ids = [d.id for d in self.docs]

            def rank(q: str) -> list[str]:
                toks = [vocab[t] for t in char_bigrams(q) if t in vocab]
                return top10(retriever.get_scores(toks), ids)[:K] if toks else []

            self._peer = rank
        return self._peer


def engine_run(index: Index, needs: Sequence[dict[str, Any]], indicators: bool = False) -> Run:
    return {
        n["id"]: [h.doc_id for h in index.search(need_document(n, indicators=indicators), k=K, with_terms=False)]
        for n in needs
    }


def peer_run(corpus: Corpus, needs: Sequence[dict[str, Any]]) -> Run:
    rank = corpus.peer()
    return {n["id"]: rank(need_plain(n)) for n in needs}


def config_with(**kw: Any) -> IndexConfig:
    return replace(IndexConfig(), **kw)


# -- scoring ---------------------------------------------------------------------------
def per_need(run: Run, grades: dict[tuple[str, str], int]) -> dict[str, dict[str, float]]:
    """P@5 (grade >= 1), nDCG@5 (gains 0/1/2, ideal from all judged papers of the need), first-hit-2."""
    ideal: dict[str, list[int]] = {}
    for (need, _), g in grades.items():
        ideal.setdefault(need, []).append(g)
    out = {}
    for need, ids in run.items():
        gains = [grades.get((need, p), 0) for p in ids[:K]]
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
        best = sorted(ideal.get(need, []), reverse=True)[:K]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(best))
        out[need] = {
            "P@5": sum(g >= 1 for g in gains) / K,
            "nDCG@5": dcg / idcg if idcg else 0.0,
            "first2": float(bool(gains) and gains[0] == 2),
        }
    return out


def unjudged(run: Run, grades: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    return [(n, p) for n, ids in run.items() for p in ids[:K] if (n, p) not in grades]


def bootstrap(a: dict[str, float], b: dict[str, float], reps: int = 10000, seed: int = 1) -> tuple[float, float, float]:
    """Mean of a - b over needs and its paired bootstrap 95% interval."""
    keys = sorted(a)
    diffs = [a[k] - b[k] for k in keys]
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(reps))
    return sum(diffs) / n, means[int(0.025 * reps)], means[int(0.975 * reps) - 1]
