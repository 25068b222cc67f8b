"""Matching quality: this engine vs. peers on queries drawn from the paper corpus.

Indexes every abstract of ../shared/corpus/papers.jsonl (read at run time), draws seeded
query sets (all keywords, two keywords, titles, and two keywords wrapped in need phrasing)
whose relevant document is the source paper, and reports R@1, R@10, MRR@10, nDCG@10 and
query latency.  ``--ablation`` reports what each design choice is worth.

    .venv/bin/python bench/quality.py [--seed 7] [--queries 1000] [--ablation] [--no-peers]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DEFAULT_CORPUS,
    DEFAULT_PAPERS,
    load_papers,
    machine,
    metrics,
    peer_bm25s_bigram,
    peer_bm25s_jieba,
    peer_tfidf,
    percentiles,
    run_queries,
    write_json,
)

from matchmaker.engine import Analyzer, Document, Index, IndexConfig, Synonyms  # noqa: E402
from matchmaker.engine.features import Features, analyze, analyze_many, encode_features  # noqa: E402

# Need phrasings written for this benchmark: they wrap two keywords {a} and {b}.
NEED_TEMPLATES = (
    "我公司急需{a}和{b}方面的技术，希望寻求合作",
    "本企业希望寻找{a}、{b}相关技术解决方案",
    "技术需求：{a}；{b}",
    "我单位需要解决{a}问题，寻求{b}技术支持",
    "寻求{a}与{b}的技术合作",
)


def draw_queries(papers: list[dict[str, Any]], n: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Seeded query sets: (query text, relevant paper id)."""
    rng = random.Random(seed)
    genuine = [p for p in papers if p["keywords_genuine"] and p["keywords"]]
    two = [p for p in genuine if len(p["keywords"]) >= 2]
    titled = [p for p in papers if p["title"].strip()]
    kw2 = [(p, rng.sample(p["keywords"], 2)) for p in rng.sample(two, min(n, len(two)))]
    return {
        "KW": [(" ".join(p["keywords"]), p["id"]) for p in rng.sample(genuine, min(n, len(genuine)))],
        "KW2": [(" ".join(ab), p["id"]) for p, ab in kw2],
        "TITLE": [(p["title"], p["id"]) for p in rng.sample(titled, min(n, len(titled)))],
        "NEED": [(rng.choice(NEED_TEMPLATES).format(a=ab[0], b=ab[1]), p["id"]) for p, ab in kw2],
    }


def _is_unigram(gram: str) -> bool:
    return len(gram) == 1 or gram.isascii()


def index_from(analyzer: Analyzer, config: IndexConfig, docs: list[Document], feats: list[Features]) -> Index:
    """Build an index from precomputed features (so ablations do not re-run jieba)."""
    index = Index(analyzer, config)
    kept = [
        Features(
            f.chars if config.use_unigrams else {g: v for g, v in f.chars.items() if not _is_unigram(g)},
            f.words if config.use_words else {},
        )
        for f in feats
    ]
    chars, words = encode_features(kept)
    index._extend(docs, [chars], [words])
    return index


def engine_ranker(index: Index):  # type: ignore[no-untyped-def]
    """Query -> top-10 ids, without building readable terms (peers do not either)."""
    return lambda q: [h.doc_id for h in index.search(q, k=10, with_terms=False)]


def evaluate(rank, qsets: dict[str, list[tuple[str, str]]], sets: tuple[str, ...]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Metrics and latency per query set."""
    out: dict[str, Any] = {}
    for name in sets:
        ranked, lat = run_queries(rank, [q for q, _ in qsets[name]])
        m = metrics(ranked, [r for _, r in qsets[name]])
        m["p50_ms"], m["p95_ms"] = percentiles(lat)
        out[name] = m
    return out


def table(rows: dict[str, dict[str, Any]], sets: tuple[str, ...]) -> str:
    """Markdown table: one row per system, R@1/R@10/MRR@10/nDCG@10 per set, then latency."""
    head = "| system | " + " | ".join(f"{s} R@1 | {s} R@10 | {s} MRR | {s} nDCG" for s in sets)
    head += " | p50 ms | p95 ms |"
    lines = [head, "|" + "---|" * (1 + 4 * len(sets) + 2)]
    for name, res in rows.items():
        cells = [f"{res[s][m]:.3f}" for s in sets for m in ("R@1", "R@10", "MRR@10", "nDCG@10")]
        p50 = max(res[s]["p50_ms"] for s in sets)
        p95 = max(res[s]["p95_ms"] for s in sets)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {p50:.2f} | {p95:.2f} |")
    return "\n".join(lines)


ABLATIONS: list[tuple[str, dict[str, Any]]] = [
    ("bigrams only, k1=1.5", dict(k1=1.5, use_unigrams=False, use_words=False, max_df=1.0)),
    ("bigrams only, k1=0.5", dict(use_unigrams=False, use_words=False, max_df=1.0)),
    ("+ unigrams", dict(use_words=False, max_df=1.0)),
    ("+ jieba channel w=0.5 (fusion: per-query max)", dict(fusion="max", max_df=1.0)),
    ("  fusion: upper bound instead", dict(max_df=1.0)),
    ("  + drop query terms with df > 10% = DEFAULT", {}),
    ("  max_df=0.2", dict(max_df=0.2)),
    ("  max_df=0.05", dict(max_df=0.05)),
    ("  jieba w=0.35", dict(word_weight=0.35)),
    ("  jieba w=1.0", dict(word_weight=1.0)),
    ("  jieba channel k1=1.2", dict(word_k1=1.2)),
    ("  chars k1=0.8", dict(k1=0.8)),
    ("  chars k1=0.3", dict(k1=0.3)),
    ("  chars b=0.5", dict(b=0.5)),
    ("  no boilerplate stripping", dict(strip_boilerplate=False)),
    ("  typed parts spread, exponent 0.5", dict(query_run_exponent=0.5)),
    ("  typed parts spread 0.5, max_df=0.15", dict(query_run_exponent=0.5, max_df=0.15)),
]


def field_experiment(
    analyzer: Analyzer, papers: list[dict[str, Any]], docs: list[Document], feats: list[Features], n: int, seed: int
) -> dict[str, Any]:
    """Keywords as a document field: title queries, keywords weight 0 (absent) / 1 / 2 / 3."""
    rng = random.Random(seed + 1)
    cfg = IndexConfig()
    kw_feats = {
        p["id"]: analyze(analyzer, cfg, Document(p["id"], text="\n".join(p["keywords"])))
        for p in papers
        if p["keywords"] and p["keywords_genuine"]
    }
    pool = [p for p in papers if p["title"].strip() and p["id"] in kw_feats]
    qs = {"TITLE+KWFIELD": [(p["title"], p["id"]) for p in rng.sample(pool, min(n, len(pool)))]}
    out = {}
    for w in (0.0, 1.0, 2.0, 3.0):
        merged = []
        for d, f in zip(docs, feats, strict=True):
            extra = kw_feats.get(d.id)
            if extra is None or w == 0:
                merged.append(f)
                continue
            chars = dict(f.chars)
            words = dict(f.words)
            for src, dst in ((extra.chars, chars), (extra.words, words)):
                for t, v in src.items():
                    dst[t] = dst.get(t, 0.0) + w * v
            merged.append(Features(chars, words))
        index = index_from(analyzer, cfg, docs, merged)
        out[f"keywords weight {w:g}"] = evaluate(engine_ranker(index), qs, ("TITLE+KWFIELD",))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="dir with userdict/chains/stopwords")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--synonyms", action="store_true", help="also the engine with corpus/synonyms.json (no chain)")
    args = ap.parse_args()

    papers = load_papers(args.papers)
    docs = [Document(p["id"], text=p["abstract"]) for p in papers]
    ids, texts = [d.id for d in docs], [d.text for d in docs]
    qsets = draw_queries(papers, args.queries, args.seed)
    sets = ("KW", "KW2", "TITLE", "NEED")
    analyzer = Analyzer.from_corpus(args.corpus)
    t0 = time.perf_counter()
    feats = analyze_many(analyzer, IndexConfig(), docs)
    build_s = time.perf_counter() - t0
    print(
        f"{len(docs)} abstracts analyzed in {build_s:.1f} s; corpus dir {args.corpus} (exists: {args.corpus.exists()})",
        flush=True,
    )

    rows: dict[str, dict[str, Any]] = {}
    engine = index_from(analyzer, IndexConfig(), docs, feats)
    rows["matchmaker engine"] = evaluate(engine_ranker(engine), qsets, sets)
    if args.synonyms:
        engine.set_synonyms(Synonyms.load(args.corpus))
        rows["matchmaker engine + synonyms"] = evaluate(engine_ranker(engine), qsets, sets)
        engine.set_synonyms(None)
    if not args.no_peers:
        for name, make in (
            ("jieba + TfidfVectorizer cosine", peer_tfidf),
            ("jieba + bm25s", peer_bm25s_jieba),
            ("char-bigram bm25s", peer_bm25s_bigram),
        ):
            rows[name] = evaluate(make(texts, ids), qsets, sets)
            print(f"  peer done: {name}", flush=True)
    result: dict[str, Any] = {
        "seed": args.seed,
        "queries": args.queries,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "systems": rows,
    }
    print(f"\n## Quality, seed {args.seed}, {args.queries} queries per set, {machine()}\n")
    print(table(rows, sets))
    if args.ablation:
        abl = {
            name: evaluate(engine_ranker(index_from(analyzer, replace(IndexConfig(), **kw), docs, feats)), qsets, sets)
            for name, kw in ABLATIONS
        }
        result["ablation"] = abl
        print("\n## Ablation (engine configurations)\n")
        print(table(abl, sets))
        fields = field_experiment(analyzer, papers, docs, feats, args.queries, args.seed)
        result["fields"] = fields
        print("\n## Field weighting (documents = abstract + keywords field; title queries)\n")
        print(table(fields, ("TITLE+KWFIELD",)))
    print(f"\nwrote {write_json(f'quality-seed{args.seed}', result)}")


if __name__ == "__main__":
    main()
