"""Agenda builder speed: a 300-pair, 12-slot, 10-table event (the size of a large 对接会), against the greedy
schedule in the same run. Goal: the built agenda in under 2 s.

    .venv/bin/python bench/agenda.py [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker.planning import build_agenda  # noqa: E402
from matchmaker.planning.agenda import greedy_schedule  # noqa: E402
from tests.planning.test_agenda import random_event  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    built, greedy = [], []
    for seed in range(args.runs):
        problem = random_event(seed=seed)
        start = time.perf_counter()
        agenda = build_agenda(problem)
        built.append(time.perf_counter() - start)
        start = time.perf_counter()
        base = greedy_schedule(problem)
        greedy.append(time.perf_counter() - start)
        print(f"seed {seed}: built {built[-1]:.2f} s (score {agenda.total_score:.1f}), "
              f"greedy {greedy[-1]:.3f} s (score {base.total_score:.1f})")
    print(f"median built {statistics.median(built):.2f} s, max {max(built):.2f} s (goal < 2 s); "
          f"median greedy {statistics.median(greedy):.3f} s")


if __name__ == "__main__":
    main()
