"""Search page latency at 10,000 published postings, through the app's test client (not part of the product).

Builds a throw-away SQLite database of 10,000 published postings (7,000 results, 3,000 needs) whose titles,
abstracts and keywords come from ../shared/corpus/papers.jsonl, read at run time (nothing is copied into the
repository), builds the match index once, then times GET /results/?q=... for seeded queries (one or two of a
paper's keywords, or a title fragment), with and without filters, and, as the baseline in the same run,
GET /results/ without a query (the plain SQL list, newest first). Reports p50 / p95 / max wall ms and
p50 / p95 of the request thread's CPU ms (robust to other processes' load on a shared machine).

    .venv/bin/python bench/search.py                 # 300 queries per case (~1-2 min with the build)
    .venv/bin/python bench/search.py --queries 1000
    .venv/bin/python bench/search.py --queries 60 --profile   # where each case's time goes
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import DEFAULT_PAPERS, RESULTS, load_papers, machine  # noqa: E402


def _populate(papers: list[dict[str, Any]], n: int, rng: random.Random) -> None:
    """Organizations, owners and `n` published postings (70 % results), inserted in bulk."""
    from flask import current_app

    from matchmaker.extensions import db
    from matchmaker.models import Chain, Need, Organization, Result, User
    from matchmaker.services import chains
    from matchmaker.services.matching import change_log

    chains.load_default_chains(current_app.config["CORPUS_DIR"])
    chain_ids = [c.id for c in db.session.scalars(db.select(Chain))]
    orgs = [Organization(name=f"基准单位{i}", kind="university" if i % 2 else "company",
                         credit_code=f"91370303BENCH{i:05d}", region_code="370303") for i in range(40)]
    db.session.add_all(orgs)
    db.session.flush()
    users = [User(username=f"bench{o.id}", role="researcher", org_id=o.id, display_name="基准",
                  password_hash="!bench-no-login")  # noqa: S106 - not a hash: nobody signs in
             for o in orgs]
    db.session.add_all(users)
    db.session.flush()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(n):
        paper = papers[i % len(papers)]
        owner = users[i % len(users)]
        common = {"title": (paper.get("title") or paper["abstract"][:30])[:200],
                  "keywords": list(paper.get("keywords") or [])[:10], "status": "published",
                  "modes": rng.sample(["transfer", "license", "equity", "joint", "service"], 2),
                  "chain_id": rng.choice(chain_ids), "owner_id": owner.id, "org_id": owner.org_id,
                  "published_at": start + timedelta(minutes=i)}
        if i % 10 < 7:
            db.session.add(Result(summary=paper["abstract"][:5000], trl=rng.randint(1, 9), **common))
        else:
            db.session.add(Need(problem=paper["abstract"][:5000], trl_min=rng.randint(1, 9), **common))
        if i % 1000 == 999:
            db.session.flush()
    change_log.posting_changed(None)
    db.session.commit()


def _queries(papers: list[dict[str, Any]], count: int, rng: random.Random) -> list[str]:
    """One or two keywords of a paper, or a stretch of its title: what a person types into the box."""
    out: list[str] = []
    with_kw = [p for p in papers if p.get("keywords")]
    while len(out) < count:
        paper = rng.choice(with_kw)
        kws = list(paper["keywords"])
        kind = len(out) % 3
        if kind == 0:
            out.append(rng.choice(kws))
        elif kind == 1 and len(kws) > 1:
            out.append(" ".join(rng.sample(kws, 2)))
        elif paper.get("title"):
            title = paper["title"]
            at = rng.randrange(max(len(title) - 8, 1))
            out.append(title[at:at + 8])
    return out


def _time(client: Any, urls: list[str]) -> tuple[list[float], list[float]]:
    """Per request: wall ms, and this thread's CPU ms (which other processes' load barely moves)."""
    wall, cpu = [], []
    for url in urls:
        t0, c0 = time.perf_counter(), time.thread_time()
        response = client.get(url)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def _summary(measured: tuple[list[float], list[float]]) -> dict[str, float]:
    wall, cpu = measured
    return {"n": len(wall), "p50": statistics.median(wall), "p95": _p(wall, 0.95), "max": max(wall),
            "cpu_p50": statistics.median(cpu), "cpu_p95": _p(cpu, 0.95)}


def _profile(client: Any, urls: list[str], name: str) -> None:
    """Where one case's time goes: the top functions by cumulative time over its first 30 requests."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    _time(client, urls[:30])
    profiler.disable()
    print(f"--- profile: {name}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print where each case's time goes")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    papers = load_papers(args.papers)

    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.services.matching import index as match_index

    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "SECRET_KEY": "bench"},
                     instance_path=str(folder))
    with app.app_context():
        upgrade()
        t0 = time.perf_counter()
        _populate(papers, args.postings, rng)
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        match_index.current()
        built = time.perf_counter() - t0
    client = app.test_client()
    queries = _queries(papers, args.queries, rng)
    cases = {
        "no query (baseline: SQL list, newest first)": [f"/results/?page={rng.randint(1, 50)}" for _ in queries],
        "query, relevance": [f"/results/?{urlencode({'q': q})}" for q in queries],
        "query + filters (TRL, mode)": [f"/results/?{urlencode({'q': q, 'trl_min': 3, 'mode': 'license'})}"
                                        for q in queries],
        "query, sorted by date": [f"/results/?{urlencode({'q': q, 'sort': 'date'})}" for q in queries],
        "query, page 3": [f"/results/?{urlencode({'q': q, 'page': 3})}" for q in queries],
    }
    _time(client, cases["query, relevance"][:20] + cases["no query (baseline: SQL list, newest first)"][:20])
    if args.profile:
        for name, urls in cases.items():
            _profile(client, urls, name)
    report = {name: _summary(_time(client, urls)) for name, urls in cases.items()}
    out = {"when": datetime.now(UTC).isoformat(timespec="minutes"), "machine": machine(),
           "postings": args.postings, "load_s": round(loaded, 1), "index_build_s": round(built, 1), "cases": report}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{args.postings} published postings; load {loaded:.1f} s, index build {built:.1f} s; {machine()}")
    print("| case | n | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |\n|---|---|---|---|---|---|---|")
    for name, s in report.items():
        print(f"| {name} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} | {s['cpu_p50']:.1f} "
              f"| {s['cpu_p95']:.1f} |")


if __name__ == "__main__":
    main()
