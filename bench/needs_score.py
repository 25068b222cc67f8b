"""Score engine variants and the char-bigram peer on the graded firm needs (bench/needs/).

P@5 (grade >= 1), nDCG@5 (gains 2^g - 1) and the share of needs whose first hit is grade 2,
per system, overall and per length (one-line / paragraph), with the paired bootstrap 95%
interval of each engine variant minus the peer.  Pairs a run returns that have no grade
are listed (pool them with needs_pool.py --variant and grade them blind).

    .venv/bin/python bench/needs_score.py [--variant NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_CORPUS, DEFAULT_PAPERS, load_papers, write_json  # noqa: E402
from _needs import (  # noqa: E402
    Corpus,
    Run,
    bootstrap,
    config_with,
    engine_run,
    load_grades,
    load_needs,
    peer_run,
    per_need,
    unjudged,
)

from matchmaker.engine import Analyzer, Synonyms  # noqa: E402

VariantFn = Callable[[Corpus, Sequence[dict[str, Any]], Path], Run]


def _engine(synonyms: bool = False, labels: bool = False, fields: bool = False, **config: Any) -> VariantFn:
    config.setdefault("short_query_terms", 0)  # rows measured before short queries kept frequent terms

    def run(corpus: Corpus, needs: Sequence[dict[str, Any]], corpus_dir: Path) -> Run:
        index = corpus.index(config_with(**config))
        if synonyms:
            index.set_synonyms(Synonyms.load(corpus_dir))
        if labels:
            index.label_chains(corpus.chain_labels(corpus_dir))
        return engine_run(index, needs, indicators=fields)

    return run


# Each lever alone and stacked; the stacked ones are what the README tables report.  Rows measured before
# part spreading keep it off (query_run_exponent=0.0).
VARIANTS: dict[str, VariantFn] = {
    "baseline": _engine(query_run_exponent=0.0, narrative_damping=1.0),  # the engine before this work
    "+synonyms": _engine(query_run_exponent=0.0, synonyms=True, narrative_damping=1.0),
    "damping": _engine(query_run_exponent=0.0, narrative_damping=0.5),
    "sense": _engine(query_run_exponent=0.0, labels=True, sense_floor=0.5, narrative_damping=1.0),
    "+synonyms+damping": _engine(query_run_exponent=0.0, synonyms=True, narrative_damping=0.5),
    "+synonyms+damping+sense": _engine(
        query_run_exponent=0.0, synonyms=True, labels=True, narrative_damping=0.5, sense_floor=0.5
    ),
    "fields": _engine(query_run_exponent=0.0, fields=True, narrative_damping=1.0),
    "+synonyms+fields+damping": _engine(query_run_exponent=0.0, synonyms=True, fields=True, narrative_damping=0.5),
    "+synonyms+damping+sense(0.7/0.3)": _engine(
        query_run_exponent=0.0,
        synonyms=True, labels=True, narrative_damping=0.5, sense_floor=0.7, sense_share=0.3
    ),
    "+synonyms+damping+sense(0.5/0.2)": _engine(
        query_run_exponent=0.0,
        synonyms=True, labels=True, narrative_damping=0.5, sense_floor=0.5, sense_share=0.2
    ),
    # Typed parts spread their weight over their grams (IndexConfig.query_run_exponent, off by default).
    "+synonyms+fields+damping+spread": _engine(
        query_run_exponent=0.5, synonyms=True, fields=True, narrative_damping=0.5
    ),
    "spread": _engine(query_run_exponent=0.5, narrative_damping=1.0),
    # Spread with the query-term df cut-off raised from 10 % to 50 % (the known-item table's best row).
    "+synonyms+fields+damping+spread+df50": _engine(
        query_run_exponent=0.5, max_df=0.5, synonyms=True, fields=True, narrative_damping=0.5
    ),
    # Only short queries (<= 60 character terms) keep every term, however frequent: the shipped engine.
    "+synonyms+fields+damping+spread+short": _engine(
        query_run_exponent=0.5, short_query_terms=60, synonyms=True, fields=True, narrative_damping=0.5
    ),
}


def variant_run(corpus: Corpus, needs: Sequence[dict[str, Any]], name: str, corpus_dir: Path) -> Run:
    return VARIANTS[name](corpus, needs, corpus_dir)


METRICS = ("P@5", "nDCG@5", "first2")


def summarize(scores: dict[str, dict[str, float]], needs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups = {"all": [n["id"] for n in needs]}
    for length in ("one-line", "paragraph"):
        groups[length] = [n["id"] for n in needs if n["length"] == length]
    return {g: {m: sum(scores[i][m] for i in ids) / len(ids) for m in METRICS} for g, ids in groups.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=Path, default=DEFAULT_PAPERS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--variant", action="append", default=[])
    args = ap.parse_args()
    needs = load_needs()
    grades = load_grades()
    corpus = Corpus(load_papers(args.papers), Analyzer.from_corpus(args.corpus))
    runs: dict[str, Run] = {v: variant_run(corpus, needs, v, args.corpus) for v in (args.variant or ["baseline"])}
    runs["char-bigram bm25s"] = peer_run(corpus, needs)
    per = {name: per_need(run, grades) for name, run in runs.items()}
    head = "| system | " + " | ".join(f"{g} {m}" for g in ("all", "one-line", "paragraph") for m in METRICS)
    lines = [head + " | unjudged |", "|" + "---|" * 11]
    for name, run in runs.items():
        s = summarize(per[name], needs)
        cells = [f"{s[g][m]:.3f}" for g in ("all", "one-line", "paragraph") for m in METRICS]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {len(unjudged(run, grades))} |")
    print(f"\n## Firm needs: {len(needs)} needs, {len(grades)} graded pairs\n")
    print("\n".join(lines))
    peer = per["char-bigram bm25s"]
    print("\nengine - peer, paired bootstrap 95% interval (10,000 resamples of needs):\n")
    print("| variant | group | P@5 | nDCG@5 | first2 |\n|---|---|---|---|---|")
    groups = {"all": None, "one-line": "one-line", "paragraph": "paragraph"}
    for name in runs:
        if name == "char-bigram bm25s":
            continue
        for g, length in groups.items():
            ids = [n["id"] for n in needs if length is None or n["length"] == length]
            cells = []
            for m in METRICS:
                d, lo, hi = bootstrap({i: per[name][i][m] for i in ids}, {i: peer[i][m] for i in ids})
                cells.append(f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
            print(f"| {name} | {g} | " + " | ".join(cells) + " |")
    for name, run in runs.items():
        missing = unjudged(run, grades)
        if missing:
            print(f"\nunjudged pairs of {name} ({len(missing)}): " + ", ".join(f"{n}/{p}" for n, p in missing[:40]))
    write_json("needs-score", {"date": time.strftime("%Y-%m-%d %H:%M"), "runs": runs, "per_need": per})


if __name__ == "__main__":
    main()
