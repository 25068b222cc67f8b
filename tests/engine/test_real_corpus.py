"""A fast sanity check on the real abstracts (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from matchmaker.engine import Analyzer, Document, build_index

PAPERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "papers.jsonl"

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not PAPERS.exists(), reason="shared corpus absent")]


def test_keyword_queries_find_their_paper(analyzer: Analyzer) -> None:
    with PAPERS.open(encoding="utf-8") as fh:
        papers = [json.loads(line) for _, line in zip(range(1500), fh, strict=False)]
    index = build_index([Document(p["id"], text=p["abstract"]) for p in papers], analyzer)
    rng = random.Random(3)
    sample = rng.sample([p for p in papers if p["keywords_genuine"] and len(p["keywords"]) >= 2], 50)
    found = sum(p["id"] in {h.doc_id for h in index.search(" ".join(p["keywords"]), k=10)} for p in sample)
    assert found >= 45
