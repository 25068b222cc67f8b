"""Near-duplicate detection flags edited copies, not same-topic texts."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine import Analyzer, Document, Index, find_duplicates, near_duplicates, similarity

ORIGINAL = Document(
    "d1",
    "分布式储能电站的能量管理",
    "本成果提出一种分布式储能电站的能量管理方法。该方法根据电价曲线优化充放电计划，"
    "并通过电池管理系统实时估计荷电状态。示范工程表明，峰谷套利收益提高百分之十五，电池衰减明显减缓。",
)
EDITED = Document(  # a few characters changed, punctuation changed, two sentences swapped
    "d2",
    "分布式储能电站的能量管理",
    "该方法根据电价曲线优化充放电计划,并通过电池管理系统实时估计荷电状态;"
    "本成果提出了一种分布式储能电站的能量管理方法!示范工程表明:峰谷套利收益提高百分之十六,电池衰减明显减慢",
)
SAME_TOPIC = Document(
    "d3",
    "储能电站的调度优化",
    "针对储能电站参与电网调峰的问题，建立了考虑电池寿命的调度模型，"
    "采用混合整数规划求解充放电策略，算例验证了模型能够降低运行成本。",
)


def test_edited_copy_is_similar_and_other_text_is_not(analyzer: Analyzer) -> None:
    assert similarity(analyzer, ORIGINAL, EDITED) >= 0.6
    assert similarity(analyzer, ORIGINAL, SAME_TOPIC) < 0.2


def test_near_duplicates_in_an_index(make_index: Callable[..., Index]) -> None:
    index = make_index([ORIGINAL, SAME_TOPIC])
    found = near_duplicates(index, EDITED)
    assert [d for d, _ in found] == ["d1"]
    assert near_duplicates(index, ORIGINAL) == []  # itself excluded; d3 is not a duplicate
    assert near_duplicates(index, "") == []


def test_find_duplicates_over_a_collection(analyzer: Analyzer) -> None:
    pairs = find_duplicates([ORIGINAL, SAME_TOPIC, EDITED, Document("d4")], analyzer)
    assert [(p.first, p.second) for p in pairs] == [("d1", "d2")]
    assert pairs[0].similarity >= 0.6


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=80), st.text(max_size=80))
def test_similarity_is_symmetric_and_reflexive(a: str, b: str) -> None:
    an = Analyzer()  # no jieba needed for shingles
    assert similarity(an, a, b) == similarity(an, b, a)
    assert 0.0 <= similarity(an, a, b) <= 1.0
    if any(ch.isalnum() for ch in a):
        assert similarity(an, a, a) == 1.0
