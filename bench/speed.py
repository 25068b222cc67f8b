"""Speed and memory: build time, query latency, add latency, peak RSS at 15k and 150k documents.

Each configuration runs in its own subprocess so peak memory (``ru_maxrss``) is its own.
150k = the 14,927 abstracts replicated 10x with distinct ids per copy.  Copies are the same
text, so each distinct text is tokenized once and its tokens reused for its copies (for
this engine and for the bm25s peer alike); everything after tokenization (vocabulary
lookups, statistics, matrix build) is done per document.  The output says so.

    .venv/bin/python bench/speed.py [--scales 1 10] [--workers 2] [--queries 500]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, DEFAULT_PAPERS, char_bigrams, load_papers, machine, percentiles, top10, write_json  # noqa: E402
from quality import draw_queries  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _queries(papers: list[dict[str, Any]], n: int) -> list[str]:
    qs = draw_queries(papers, n, seed=11)
    mixed = [q for name in ("KW2", "TITLE", "NEED") for q, _ in qs[name][: n // 3 + 1]]
    random.Random(5).shuffle(mixed)
    return mixed[:n]


def _timed(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for x in items:
        t0 = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def child_engine(args: argparse.Namespace) -> dict[str, Any]:
    from matchmaker.engine import Analyzer, Document, Index, IndexConfig
    from matchmaker.engine.features import analyze_many

    papers = load_papers(args.papers)
    base = [Document(p["id"], text=p["abstract"]) for p in papers]
    analyzer = Analyzer.from_corpus(args.corpus)
    analyzer.tokenizer  # noqa: B018  (jieba dictionary load is not build time)
    t0 = time.perf_counter()
    feats = analyze_many(analyzer, IndexConfig(), base, workers=args.workers)
    t_tok = time.perf_counter() - t0
    index = Index(analyzer)
    for copy in range(args.scale):
        for doc, f in zip(base, feats, strict=True):
            index._append(Document(f"{doc.id}#{copy}", text=doc.text), f)
    del feats
    index.rebuild()
    build = time.perf_counter() - t0
    queries = _queries(papers, args.queries)
    for q in queries[:20]:
        index.search(q)
    lat = _timed(lambda q: index.search(q, k=10, with_terms=False), queries)
    lat_terms = _timed(lambda q: index.search(q, k=10), queries[:200])
    rng = random.Random(3)
    new_docs = [Document(f"new{i}", text=p["abstract"] + "。补充说明") for i, p in enumerate(rng.sample(papers, 200))]
    add = _timed(index.add, new_docs)
    add_search = _timed(lambda d: (index.add(Document(d.id + "b", text=d.text)), index.search(queries[0])), new_docs)
    return {
        "docs": len(index),
        "tokenize_s": t_tok,
        "build_s": build,
        "query_ms": percentiles(lat),
        "query_terms_ms": percentiles(lat_terms),
        "add_ms": percentiles(add),
        "add_then_search_ms": percentiles(add_search),
        "peak_mb": _peak_mb(),
    }


def child_bm25s(args: argparse.Namespace) -> dict[str, Any]:
    import bm25s

    papers = load_papers(args.papers)
    t0 = time.perf_counter()
    toks = [char_bigrams(p["abstract"]) for p in papers]
    t_tok = time.perf_counter() - t0
    ids = [f"{p['id']}#{c}" for c in range(args.scale) for p in papers]
    retriever = bm25s.BM25()
    retriever.index([t for _ in range(args.scale) for t in toks], show_progress=False)
    build = time.perf_counter() - t0
    vocab = retriever.vocab_dict

    def search(q: str) -> list[str]:
        tk = [vocab[t] for t in char_bigrams(q) if t in vocab]
        return top10(retriever.get_scores(tk), ids) if tk else []

    queries = _queries(papers, args.queries)
    for q in queries[:20]:
        search(q)
    lat = _timed(search, queries)
    return {
        "docs": len(ids),
        "tokenize_s": t_tok,
        "build_s": build,
        "query_ms": percentiles(lat),
        "query_terms_ms": None,
        "add_ms": None,
        "add_then_search_ms": None,
        "peak_mb": _peak_mb(),
    }


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, list | tuple):
        return f"{v[0]:.2f} / {v[1]:.2f}"
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--child", choices=["engine", "bm25s"])
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    if args.child:
        res = (child_engine if args.child == "engine" else child_bm25s)(args)
        print(json.dumps(res))
        return
    rows = []
    for scale in args.scales:
        for name in ("engine", "bm25s"):
            cmd = [
                sys.executable,
                __file__,
                "--child",
                name,
                "--scale",
                str(scale),
                "--workers",
                str(args.workers),
                "--queries",
                str(args.queries),
                "--papers",
                str(args.papers),
                "--corpus",
                str(args.corpus),
            ]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            res["system"] = "matchmaker engine" if name == "engine" else "char-bigram bm25s"
            rows.append(res)
            print(f"  done: {res['system']} x{scale}", flush=True)
    print(f"\n## Speed, {machine()}, tokenize workers: {args.workers} (engine)\n")
    print("Copies of a text reuse that text's tokens (tokenized once); all other work is per document.\n")
    print(
        "| system | docs | tokenize s | build s (incl. tokenize) | query p50 / p95 ms | query+terms p50 / p95 ms "
        "| add p50 / p95 ms | add+search p50 / p95 ms | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [r["system"], str(r["docs"])] + [
            _fmt(r[k])
            for k in ("tokenize_s", "build_s", "query_ms", "query_terms_ms", "add_ms", "add_then_search_ms", "peak_mb")
        ]
        print("| " + " | ".join(cells) + " |")
    payload = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}
    print(f"\nwrote {write_json('speed', payload)}")


if __name__ == "__main__":
    main()
