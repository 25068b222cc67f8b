"""Pool top-5 results of the engine and the char-bigram peer for the firm needs, blind.

Each round appends the (need, paper) pairs that are neither pooled nor graded yet to
``bench/needs/pool.jsonl`` in a shuffled order, without saying which system returned them.
``--variant`` pools a changed engine's results too (see needs_score.VARIANTS).
``--show ROUND`` prints the ungraded pairs of a round (need text and abstract) for grading.

    .venv/bin/python bench/needs_pool.py [--variant NAME ...] [--round N]
    .venv/bin/python bench/needs_pool.py --show 1
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, DEFAULT_PAPERS, load_papers  # noqa: E402
from _needs import (  # noqa: E402
    POOL,
    Corpus,
    append_jsonl,
    load_grades,
    load_needs,
    need_plain,
    peer_run,
    read_jsonl,
)

from matchmaker.engine import Analyzer  # noqa: E402


def show(round_no: int, papers: Path) -> None:
    needs = {n["id"]: n for n in load_needs()}
    grades = load_grades()
    abstracts = {p["id"]: p for p in load_papers(papers)}
    rows = [r for r in read_jsonl(POOL) if r["round"] == round_no and (r["need"], r["paper"]) not in grades]
    rows.sort(key=lambda r: r["need"])  # grouped by need; the order inside a need is the shuffled one
    last = None
    for r in rows:
        if r["need"] != last:
            print(f"\n=== {r['need']}: {need_plain(needs[r['need']])}")
            last = r["need"]
        p = abstracts[r["paper"]]
        print(f"--- {r['paper']} | {p['title']} | {p['abstract'][:260]}")


def main() -> None:
    from needs_score import VARIANTS, variant_run

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--variant", action="append", default=[], help="engine variants to pool (default: baseline)")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--round", type=int, default=None)
    ap.add_argument("--show", type=int, default=None, help="print the ungraded pairs of this round")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if args.show is not None:
        show(args.show, args.papers)
        return
    needs = load_needs()
    corpus = Corpus(load_papers(args.papers), Analyzer.from_corpus(args.corpus))
    runs = [variant_run(corpus, needs, v, args.corpus) for v in (args.variant or ["baseline"])]
    if not args.no_peer:
        runs.append(peer_run(corpus, needs))
    pooled = {(r["need"], r["paper"]) for r in read_jsonl(POOL)}
    graded = load_grades()
    new = sorted({(n, p) for run in runs for n, ids in run.items() for p in ids} - pooled - set(graded))
    random.Random(args.seed + len(pooled)).shuffle(new)
    round_no = args.round or 1 + max((r["round"] for r in read_jsonl(POOL)), default=0)
    append_jsonl(POOL, [{"round": round_no, "need": n, "paper": p} for n, p in new])
    names = args.variant or ["baseline"]
    print(f"round {round_no}: {len(new)} new pairs pooled ({len(pooled)} before); variants {names}")
    assert all(v in VARIANTS for v in args.variant or ["baseline"])


if __name__ == "__main__":
    main()
