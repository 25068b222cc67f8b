"""Shared helpers for the benchmarks: corpus loading, peers, metrics (not part of the product)."""

from __future__ import annotations

import json
import math
import platform
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAPERS = REPO / ".." / "shared" / "corpus" / "papers.jsonl"
DEFAULT_CORPUS = REPO / "corpus"
RESULTS = REPO / "bench" / "results"
_RUN = re.compile(r"[^\W_]+")

Ranker = Callable[[str], list[str]]  # query -> ranked doc ids (top 10)


def load_papers(path: Path) -> list[dict[str, Any]]:
    """All records of papers.jsonl, read at run time (never copied into the repo)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def char_bigrams(text: str) -> list[str]:
    """Peer tokenization: NFKC-lowercased character bigrams inside runs of word characters."""
    out: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", text).lower()):
        out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return out


def metrics(ranked: Sequence[Sequence[str]], relevant: Sequence[str]) -> dict[str, float]:
    """R@1, R@10, MRR@10, nDCG@10 for one relevant document per query."""
    r1 = r10 = mrr = ndcg = 0.0
    for ids, rel in zip(ranked, relevant, strict=True):
        ids = list(ids[:10])
        if rel in ids:
            rank = ids.index(rel) + 1
            r1 += rank == 1
            r10 += 1
            mrr += 1 / rank
            ndcg += 1 / math.log2(rank + 1)
    n = max(len(relevant), 1)
    return {"R@1": r1 / n, "R@10": r10 / n, "MRR@10": mrr / n, "nDCG@10": ndcg / n}


def run_queries(rank: Ranker, queries: Sequence[str]) -> tuple[list[list[str]], list[float]]:
    """Ranked ids and per-query latency in ms (tokenization included)."""
    out, lat = [], []
    for q in queries:
        t0 = time.perf_counter()
        ids = rank(q)
        lat.append((time.perf_counter() - t0) * 1000)
        out.append(ids)
    return out, lat


def top10(scores: np.ndarray, ids: Sequence[str]) -> list[str]:
    """Ids of the 10 best positive scores."""
    k = min(10, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [ids[i] for i in top if scores[i] > 0]


def peer_tfidf(texts: Sequence[str], ids: Sequence[str]) -> Ranker:
    """Naive peer: default jieba tokens, TfidfVectorizer, cosine."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
    mat = vec.fit_transform(texts).tocsr()

    def rank(q: str) -> list[str]:
        qv = vec.transform([q])
        return top10(np.asarray((mat @ qv.T).todense()).ravel(), ids)

    return rank


def _bm25s_ranker(corpus_tokens: list[list[str]], ids: Sequence[str], tok: Callable[[str], list[str]]) -> Ranker:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    vocab = retriever.vocab_dict

    def rank(q: str) -> list[str]:
        toks = [vocab[t] for t in tok(q) if t in vocab]
        if not toks:
            return []
        return top10(retriever.get_scores(toks), ids)

    return rank


def jieba_words(text: str) -> list[str]:
    """Peer tokenization: default jieba, punctuation and whitespace tokens dropped."""
    import jieba

    return [w for w in jieba.lcut(unicodedata.normalize("NFKC", text).lower()) if _RUN.search(w)]


def peer_bm25s_jieba(texts: Sequence[str], ids: Sequence[str]) -> Ranker:
    """Peer: jieba words into bm25s (k1=1.5, b=0.75)."""
    return _bm25s_ranker([jieba_words(t) for t in texts], ids, jieba_words)


def peer_bm25s_bigram(texts: Sequence[str], ids: Sequence[str]) -> Ranker:
    """Peer: character bigrams into bm25s (k1=1.5, b=0.75), the strongest off-the-shelf one."""
    return _bm25s_ranker([char_bigrams(t) for t in texts], ids, char_bigrams)


def percentiles(lat: Sequence[float]) -> tuple[float, float]:
    """p50 and p95 in ms."""
    return float(np.percentile(lat, 50)), float(np.percentile(lat, 95))


def write_json(name: str, payload: dict[str, Any]) -> Path:
    """Write a result file into bench/results/ (git-ignored)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
