"""Empty and junk input never raises."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.engine import Document, Index, explain

JUNK = [
    "",
    " ",
    "\n\t\u3000",
    "，。！？；：“”",
    "!!!???",
    "😀🚀🔋",
    "ＡＢＣ，，１２３",
    "的了和",
    "氢" * 100_000,
    "储能 lithium ＬＩＴＨＩＵＭ 😀 " * 4_000,
    "\x00\x01\ufffd",
    None,
]


def _valid(hits: list, index: Index, k: int) -> None:  # type: ignore[type-arg]
    assert len(hits) <= k
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert all(h.doc_id in index for h in hits)
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


@pytest.mark.parametrize("query", JUNK, ids=lambda q: repr(q)[:20])
def test_junk_queries(index: Index, query: str | None) -> None:
    _valid(index.search(query, k=5), index, 5)
    explain(index, query, "r1")


def test_junk_documents_can_be_indexed(index: Index) -> None:
    for i, text in enumerate(j for j in JUNK if j is not None):
        index.add(Document(f"j{i}", title=text[:50], text=text[:2000]))
    _valid(index.search("储能", k=50), index, 50)


@pytest.mark.parametrize("k", [0, -1, 1, 1000])
def test_any_k(index: Index, k: int) -> None:
    _valid(index.search("电池", k=k), index, max(k, 0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_gives_a_valid_ranking(index: Index, query: str) -> None:
    _valid(index.search(query, k=4), index, 4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["含氟聚合物", "机器视觉", "储能电站", "电解水制氢", "氟橡胶", "固态电池"]),
    st.text(alphabet="，。 ！、", max_size=5),
)
def test_punctuation_does_not_change_results(index: Index, term: str, noise: str) -> None:
    assert index.search(term) == index.search(noise + term + noise)
