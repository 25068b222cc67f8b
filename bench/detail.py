"""Detail-page cost at scale, through the app's test client, with and without writes in between (not part of
the product).

Uses the database and saved index that `bench/load.py` prepared (`--work`, default /tmp/matchmaker-load; run
load.py once first). Views --pages random result and need pages (the same ids load.py draws from) one at a time
and reports wall and thread-CPU p50 / p95 per kind. `--writes N` changes one published result between every N
page views (as the load bench's writers do), so the index moves on under the pages and their kept answers start
afresh; 0 views pages only. `--warm N` views N other random pages first, untimed (a worker that has served a
while). `--profile` prints where the time goes.

    .venv/bin/python bench/detail.py [--pages 300] [--warm 10] [--writes 0|1|5] [--profile]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/matchmaker-load"))  # noqa: S108 - bench scratch
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--writes", type=int, default=0, help="change a result between every N page views")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--warm", type=int, default=10, help="pages viewed first, not timed (other random ids)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    info = json.loads((args.work / "product.json").read_text())
    os.environ.update({"MATCHMAKER_SQLALCHEMY_DATABASE_URI": info["url"],
                       "MATCHMAKER_INDEX_DIR": str(args.work / "index"), "MATCHMAKER_SECRET_KEY": "bench-only"})
    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Result
    from matchmaker.services.matching import change_log
    from matchmaker.services.matching import index as match_index

    app = create_app()
    rng = random.Random(args.seed)
    pages = [("result", f"/results/{rng.choice(info['results'])}") if rng.random() < 0.5
             else ("need", f"/needs/{rng.choice(info['needs'])}") for _ in range(args.pages)]
    client = app.test_client()
    with app.app_context():
        t0 = time.perf_counter()
        match_index.current()
        print(f"index ready in {time.perf_counter() - t0:.1f} s")

    def write(i: int) -> None:
        with app.app_context():
            result = db.session.get(Result, rng.choice(info["results"]))
            assert result is not None
            result.title = f"{result.title.split('·')[0]}·{i}"
            change_log.posting_changed(result)
            db.session.commit()
            match_index.current()  # the worker applies the change, as its next request would

    warm_rng = random.Random(args.seed + 1)
    for _ in range(args.warm):  # templates, the analyzer and whatever the process keeps between pages
        client.get(f"/results/{warm_rng.choice(info['results'])}" if warm_rng.random() < 0.5
                   else f"/needs/{warm_rng.choice(info['needs'])}")
    timings: dict[str, tuple[list[float], list[float]]] = {"result": ([], []), "need": ([], [])}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for i, (kind, url) in enumerate(pages):
        if args.writes and i % args.writes == 0:
            write(i)
        t0, c0 = time.perf_counter(), time.thread_time()
        response = client.get(url)
        timings[kind][1].append((time.thread_time() - c0) * 1000)
        timings[kind][0].append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.pages} pages after {args.warm} untimed, a write every {args.writes or '—'} views; "
          f"peak RSS {peak:.0f} MB")
    print("| page | n | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | CPU mean ms |\n|---|---|---|---|---|---|---|")
    for kind, (wall, cpu) in timings.items():
        print(f"| {kind} | {len(wall)} | {statistics.median(wall):.1f} | {_p(wall, 0.95):.1f} | "
              f"{statistics.median(cpu):.1f} | {_p(cpu, 0.95):.1f} | {statistics.fmean(cpu):.1f} |")


if __name__ == "__main__":
    main()
