"""Suggest the industrial chain(s) of a text from the chain lexicons (and labelled records)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
from sklearn.naive_bayes import ComplementNB  # type: ignore[import-untyped]

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.dedupe import full_text
from matchmaker.engine.types import Chain, Document

_MIN_LABELLED = 2  # records per chain before the statistical model is used


def load_chains(path: str | Path) -> list[Chain]:
    """Chains from ``chains.json`` (a file, or a corpus directory holding one)."""
    p = Path(path)
    p = p / "chains.json" if p.is_dir() else p
    if not p.exists():
        return []
    data = json.loads(p.read_text(encoding="utf-8"))
    return [Chain(str(c["code"]), str(c.get("name", c["code"])), tuple(c.get("terms", []))) for c in data]


class ChainClassifier:
    """Lexicon evidence (specificity-weighted term hits) blended with Naive Bayes on labelled records."""

    def __init__(self, chains: Sequence[Chain], analyzer: Analyzer) -> None:
        self.chains = list(chains)
        self.analyzer = analyzer
        owners: dict[str, set[str]] = {}
        for chain in self.chains:
            for term in chain.terms:
                owners.setdefault(analyzer.normalize(term), set()).add(chain.code)
        # A term shared by several chains is weaker evidence; very short terms are too.
        self._lexicon = {t: (codes, min(len(t), 4) / 4 / len(codes)) for t, codes in owners.items() if t}
        self._vectorizer: DictVectorizer | None = None
        self._model: ComplementNB | None = None

    def _features(self, text: str) -> dict[str, float]:
        norm = self.analyzer.normalize(text)
        feats: dict[str, float] = {}
        for term in [*self.analyzer.char_grams(norm, unigrams=False), *("w:" + w for w in self.analyzer.words(norm))]:
            feats[term] = feats.get(term, 0.0) + 1.0
        return feats

    def fit(self, docs: Iterable[Document]) -> ChainClassifier:
        """Train on labelled documents (``chain`` set); needs two chains with enough records."""
        known = {c.code for c in self.chains}
        labelled = [d for d in docs if d.chain in known]
        counts = {c: sum(d.chain == c for d in labelled) for c in known}
        if sum(n >= _MIN_LABELLED for n in counts.values()) < 2:
            self._vectorizer, self._model = None, None
            return self
        self._vectorizer = DictVectorizer()
        x = self._vectorizer.fit_transform([self._features(full_text(d)) for d in labelled])
        self._model = ComplementNB().fit(x, [d.chain for d in labelled])
        return self

    def lexicon_scores(self, text: str) -> dict[str, float]:
        """Confidence in [0, 1) per chain from lexicon term occurrences."""
        norm = self.analyzer.normalize(text)
        raw: dict[str, float] = {}
        for term, (codes, weight) in self._lexicon.items():
            n = norm.count(term)
            if n:
                for code in codes:
                    raw[code] = raw.get(code, 0.0) + weight * (1.0 + math.log(n))
        return {code: 1.0 - math.exp(-s) for code, s in raw.items()}

    def matched_terms(self, text: str, code: str) -> tuple[str, ...]:
        """Lexicon terms of one chain found in the text (longest first)."""
        norm = self.analyzer.normalize(text)
        found = [t for t, (codes, _) in self._lexicon.items() if code in codes and t in norm]
        return tuple(sorted(found, key=lambda t: (-len(t), t)))

    def suggest(self, query: str | Document, k: int = 3, min_score: float = 0.05) -> list[tuple[str, float]]:
        """Most likely chains as ``(code, score in [0, 1])``, best first."""
        text = full_text(query)
        if not text.strip() or k <= 0:
            return []
        scores = self.lexicon_scores(text)
        if self._model is not None and self._vectorizer is not None:
            proba = self._model.predict_proba(self._vectorizer.transform([self._features(text)]))[0]
            classes = [str(c) for c in self._model.classes_]
            for code, p in zip(classes, np.asarray(proba, float).tolist(), strict=True):
                scores[code] = 0.5 * scores.get(code, 0.0) + 0.5 * p
        ranked = sorted(scores.items(), key=lambda cs: (-cs[1], cs[0]))
        return [(c, round(s, 6)) for c, s in ranked if s >= min_score][:k]


def suggest_chain(classifier: ChainClassifier, text: str | Document, k: int = 3) -> list[tuple[str, float]]:
    """Function form of :meth:`ChainClassifier.suggest`."""
    return classifier.suggest(text, k)
