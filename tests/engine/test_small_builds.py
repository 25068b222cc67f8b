"""Documents added one by one to an empty (or small) index score as they would after a fresh build: the
statistics frozen at a build are refreshed while the index is small."""
from __future__ import annotations

import pytest

from matchmaker.engine import Analyzer, Document, Index, build_index

TEXTS = [("耐高温氟橡胶密封材料", "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用。"),
         ("高导热有机硅灌封胶", "用于新能源汽车电机控制器的高导热有机硅灌封胶，导热系数二点五。"),
         ("质子交换膜燃料电池催化剂", "低铂载量的燃料电池阴极催化剂，提升质子交换膜燃料电池寿命。")]


def test_added_one_by_one_scores_like_a_fresh_build(analyzer: Analyzer) -> None:
    docs = [Document(f"r{i}", title, text) for i, (title, text) in enumerate(TEXTS)]
    grown = build_index([], analyzer)
    for doc in docs:
        grown.add(doc)
    fresh = build_index(docs, analyzer)
    for query in ("氟橡胶 密封材料", "燃料电池催化剂", "灌封胶"):
        got = [(h.doc_id, h.score) for h in grown.search(query, k=3)]
        want = [(h.doc_id, h.score) for h in fresh.search(query, k=3)]
        assert [d for d, _ in got] == [d for d, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])
    assert grown.search("氟橡胶 密封材料", k=1)[0].score > 0.5


def test_a_large_index_still_takes_deltas(analyzer: Analyzer) -> None:
    docs = [Document(f"d{i}", f"第{i}号成果", TEXTS[i % 3][1]) for i in range(40)]
    index = build_index(docs, analyzer)
    builds = index._builds
    for i in range(5):
        index.add(Document(f"n{i}", "新成果", TEXTS[0][1]))
    assert index._builds == builds  # 5 of 40: kept as deltas, no rebuild
    assert isinstance(index, Index)
