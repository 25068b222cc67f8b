"""Speed and memory: build time, query latency, add latency, peak RSS at 15k and 150k documents.

Each configuration runs in its own subprocess so peak memory (``ru_maxrss``) is its own.
150k = the 14,927 abstracts replicated 10x with distinct ids per copy.  Copies are the same
text, so each distinct text is tokenized once and its tokens reused for its copies (for
this engine and for the bm25s peer alike): the engine does this itself (``add_many``
analyzes identical documents once), the peer by reusing its token lists.  Statistics and
the matrix build are per document.  The output says so.

Build time is reported as wall and CPU seconds (CPU includes worker processes); query
latency as p50/p95 of per-query wall time (``perf_counter_ns``) and of the thread's CPU
time (``thread_time_ns``, robust to other processes' load), over ``--reps`` passes.

    .venv/bin/python bench/speed.py [--scales 1 10] [--workers 2] [--queries 500] [--reps 5]
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


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Any, items: list[Any]) -> list[float]:
    out = []
    for x in items:
        t0 = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _latency(fn: Any, items: list[Any], reps: int) -> dict[str, tuple[float, float]]:
    """p50/p95 in ms of wall time (perf_counter_ns) and of this thread's CPU time (thread_time_ns)."""
    wall, cpu = [], []
    for _ in range(reps):
        for x in items:
            w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            fn(x)
            c1, w1 = time.thread_time_ns(), time.perf_counter_ns()
            wall.append((w1 - w0) / 1e6)
            cpu.append((c1 - c0) / 1e6)
    return {"wall": percentiles(wall), "cpu": percentiles(cpu)}


def child_engine(args: argparse.Namespace) -> dict[str, Any]:
    from matchmaker.engine import Analyzer, Document, Index, IndexConfig
    from matchmaker.engine.features import encode_many

    papers = load_papers(args.papers)
    docs = [Document(f"{p['id']}#{c}", text=p["abstract"]) for c in range(args.scale) for p in papers]
    analyzer = Analyzer.from_corpus(args.corpus)
    analyzer.tokenizer  # noqa: B018  (jieba dictionary load is not build time)
    # This is Index.add_many (what build_index calls), in its two steps so both are timed.
    w0, c0 = time.perf_counter(), _cpu()
    batches, pick = encode_many(analyzer, IndexConfig(), docs, workers=args.workers)
    t_tok, c_tok = time.perf_counter() - w0, _cpu() - c0
    index = Index(analyzer)
    index._extend(docs, [b[0] for b in batches], [b[1] for b in batches], pick)
    build, c_build = time.perf_counter() - w0, _cpu() - c0
    del batches, pick
    queries = _queries(papers, args.queries)
    for q in queries[:50]:
        index.search(q, k=10, with_terms=False)
    lat = _latency(lambda q: index.search(q, k=10, with_terms=False), queries, args.reps)
    lat_terms = _latency(lambda q: index.search(q, k=10), queries[:200], 1)
    rng = random.Random(3)
    new_docs = [Document(f"new{i}", text=p["abstract"] + "。补充说明") for i, p in enumerate(rng.sample(papers, 200))]
    add = _timed(index.add, new_docs)
    add_search = _timed(
        lambda d: (index.add(Document(d.id + "b", text=d.text)), index.search(queries[0], with_terms=False)), new_docs
    )
    return {
        "docs": len(index),
        "distinct_texts": len(papers),
        "tokenize_s": t_tok,
        "tokenize_cpu_s": c_tok,
        "build_s": build,
        "build_cpu_s": c_build,
        "query": lat,
        "query_terms": lat_terms,
        "add_ms": percentiles(add),
        "add_then_search_ms": percentiles(add_search),
        "peak_mb": _peak_mb(),
    }


def child_bm25s(args: argparse.Namespace) -> dict[str, Any]:
    import bm25s

    papers = load_papers(args.papers)
    w0, c0 = time.perf_counter(), _cpu()
    toks = [char_bigrams(p["abstract"]) for p in papers]
    t_tok, c_tok = time.perf_counter() - w0, _cpu() - c0
    ids = [f"{p['id']}#{c}" for c in range(args.scale) for p in papers]
    retriever = bm25s.BM25()
    retriever.index([t for _ in range(args.scale) for t in toks], show_progress=False)
    build, c_build = time.perf_counter() - w0, _cpu() - c0
    vocab = retriever.vocab_dict

    def search(q: str) -> list[str]:
        tk = [vocab[t] for t in char_bigrams(q) if t in vocab]
        return top10(retriever.get_scores(tk), ids) if tk else []

    queries = _queries(papers, args.queries)
    for q in queries[:50]:
        search(q)
    lat = _latency(search, queries, args.reps)
    return {
        "docs": len(ids),
        "distinct_texts": len(papers),
        "tokenize_s": t_tok,
        "tokenize_cpu_s": c_tok,
        "build_s": build,
        "build_cpu_s": c_build,
        "query": lat,
        "query_terms": None,
        "add_ms": None,
        "add_then_search_ms": None,
        "peak_mb": _peak_mb(),
    }


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, list | tuple):
        return f"{v[0]:.{digits}f} / {v[1]:.{digits}f}"
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--reps", type=int, default=5, help="passes over the queries for latency")
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
                "--reps",
                str(args.reps),
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
    print(f"\n## Speed, {machine()}, tokenize workers: {args.workers} (engine), {args.reps}x{args.queries} queries\n")
    print("Identical texts are analyzed once (copies share their tokens); everything else is per document.")
    print("Build: wall s / CPU s (CPU includes worker processes). Latency p50 / p95 ms: wall, then thread CPU.\n")
    print(
        "| system | docs | tokenize wall / CPU s | build wall / CPU s (incl. tokenize) | query wall ms | query CPU ms "
        "| query+terms wall ms | query+terms CPU ms | add ms | add+search ms | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        qt = r["query_terms"] or {"wall": None, "cpu": None}
        cells = [
            r["system"],
            str(r["docs"]),
            _fmt((r["tokenize_s"], r["tokenize_cpu_s"]), 1),
            _fmt((r["build_s"], r["build_cpu_s"]), 1),
            _fmt(r["query"]["wall"]),
            _fmt(r["query"]["cpu"]),
            _fmt(qt["wall"]),
            _fmt(qt["cpu"]),
            _fmt(r["add_ms"]),
            _fmt(r["add_then_search_ms"]),
            _fmt(r["peak_mb"]),
        ]
        print("| " + " | ".join(cells) + " |")
    payload = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}
    print(f"\nwrote {write_json('speed', payload)}")


if __name__ == "__main__":
    main()
