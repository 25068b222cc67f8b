"""Suggestions on the authored demo data against its ground truth (corpus/demo/match_truth.json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Need, Result
from matchmaker.services.demo import seed as demo
from matchmaker.services.goals import funnel
from matchmaker.services.matching import suggestions as matching


@pytest.fixture
def seeded(app: Any) -> dict[str, Any]:
    folder = Path(app.config["CORPUS_DIR"]) / "demo"
    demo.seed_demo(app.config["CORPUS_DIR"])

    def titles(name: str) -> dict[str, str]:
        return {item["key"]: item["title"] for item in json.loads((folder / name).read_text(encoding="utf-8"))}

    return {"truth": json.loads((folder / "match_truth.json").read_text(encoding="utf-8")),
            "needs": titles("needs.json"), "results": titles("results.json"),
            "need_rows": {n.title: n for n in db.session.scalars(select(Need))},
            "result_ids": {r.title: r.id for r in db.session.scalars(select(Result))}}


def test_known_pairs_rank_first_or_close(seeded: dict[str, Any]) -> None:
    firsts = within_three = 0
    pairs = seeded["truth"]["pairs"]
    for pair in pairs:
        need = seeded["need_rows"][seeded["needs"][pair["need"]]]
        wanted = seeded["result_ids"][seeded["results"][pair["result"]]]
        ranked = [s.target.id for s in matching.suggestions_for("need", need, None, k=3, min_score=0.0)]
        firsts += ranked[:1] == [wanted]
        within_three += wanted in ranked
    assert within_three == len(pairs)
    assert firsts / len(pairs) >= 0.9


def test_needs_without_a_result_are_on_the_gap_list(seeded: dict[str, Any]) -> None:
    gap_ids = {need.id for need, _score in funnel.gap_needs()}
    published_gaps = [seeded["need_rows"][seeded["needs"][key]] for key in seeded["truth"]["gaps"]]
    published_gaps = [n for n in published_gaps if n.status == "published"]
    assert published_gaps and all(n.id in gap_ids for n in published_gaps)
    strong = {seeded["need_rows"][seeded["needs"][p["need"]]].id for p in seeded["truth"]["pairs"]
              if p["strength"] == "strong"}
    assert not gap_ids & strong
