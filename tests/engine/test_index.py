"""Ranking, filters, explanations, incremental changes, persistence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from matchmaker.engine import Analyzer, Document, Index, explain
from tests.engine.conftest import DOCS


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("含氟聚合物涂层 防污", "r1"),
        ("机器视觉 抓取", "r2"),
        ("储能电站 液流电池", "r3"),
        ("制氢 电解槽", "r4"),
        ("硫化物固态电解质", "r5"),
        ("氟橡胶密封件", "r6"),
    ],
)
def test_ranking_puts_the_matching_record_first(index: Index, query: str, best: str) -> None:
    hits = index.search(query, k=3)
    assert hits[0].doc_id == best
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))


def test_scores_are_bounded_and_hit_terms_are_shared(index: Index) -> None:
    hit = index.search("我公司急需含氟聚合物防污涂层技术", k=1)[0]
    assert 0.0 < hit.score <= 1.0 and hit.raw_score > 0
    assert set(hit.terms[:2]) == {"含氟聚合物", "防污涂层"}
    assert "我公司" not in "".join(hit.terms)
    assert sum(w for _, w in hit.contributions) == pytest.approx(hit.score)


def test_document_as_query_finds_its_neighbour(index: Index) -> None:
    need = Document("n1", title="氢燃料电池用质子交换膜", text="需要质子交换膜电解槽和储氢方案。")
    assert index.search(need, k=1)[0].doc_id == "r4"


def test_filters_and_min_score(index: Index) -> None:
    assert [h.doc_id for h in index.search("电池", k=5, filter={"r5"})] == ["r5"]
    hits = index.search("电池", k=5, filter=lambda i: i != "r3")
    assert hits and "r3" not in {h.doc_id for h in hits}
    assert all(h.score >= 0.5 for h in index.search("电池 储能", k=5, min_score=0.5))
    assert index.search("电池", k=5, filter=set()) == []


def test_explanation_gives_terms_and_spans_in_both_texts(index: Index) -> None:
    query = "需要机器视觉抓取方案"
    exp = explain(index, query, "r2")
    assert exp is not None and "机器视觉" in exp.terms
    spans = {(s.field, s.term) for s in exp.doc_spans}
    assert ("title", "机器视觉") not in spans  # the title says 视觉 only after 机器人
    assert ("text", "机器视觉") in spans
    for s in exp.query_spans:
        assert query[s.start : s.end] == s.term
    doc = index.get("r2")
    assert doc is not None
    for s in exp.doc_spans:
        if s.field == "text":
            assert doc.text[s.start : s.end] == s.term
    assert explain(index, "完全无关的量子纠缠", "r2") is None or explain(index, "", "r2") is None


def test_full_width_query_spans_map_to_original(index: Index) -> None:
    exp = explain(index, "ＳＯＣ，液流电池", "r3")
    assert exp is not None
    assert any(s.term == "液流电池" and s.start == 4 for s in exp.query_spans)


def test_add_and_remove(index: Index) -> None:
    new = Document("r7", "工业机器人减速器", "谐波减速器的齿形设计与寿命试验，用于工业机器人关节。")
    index.add(new)
    assert index.search("谐波减速器", k=1)[0].doc_id == "r7"
    assert index.remove("r7") and not index.remove("r7")
    assert all(h.doc_id != "r7" for h in index.search("谐波减速器", k=5))
    index.add(Document("r1", "替换后的记录", "谐波减速器"))  # same id replaces
    assert len(index) == len(DOCS)
    assert index.search("谐波减速器", k=1)[0].doc_id == "r1"
    assert all(h.doc_id != "r1" for h in index.search("含氟聚合物", k=5))


def test_add_tokenizes_only_the_new_document(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    import matchmaker.engine.index as mod

    seen: list[str] = []
    real = mod.analyze

    def counting(analyzer: Analyzer, config: object, doc: Document, *, query: bool = False) -> object:
        seen.append(doc.id)
        return real(analyzer, config, doc, query=query)  # type: ignore[arg-type]

    monkeypatch.setattr(mod, "analyze", counting)
    index.add(Document("r8", "储氢罐", "高压储氢罐的碳纤维缠绕工艺。"))
    index.search("储氢", k=3)
    assert seen == ["r8", ""]


def test_incremental_matches_a_fresh_build(index: Index, make_index: Callable[..., Index]) -> None:
    extra = Document("r9", "锂离子电池回收", "废旧锂离子电池的湿法回收工艺。")
    index.add(extra)
    index.remove("r2")
    fresh = make_index([d for d in DOCS if d.id != "r2"] + [extra])
    for query in ("锂离子电池", "储能", "氟橡胶"):
        assert [h.doc_id for h in index.search(query)] == [h.doc_id for h in fresh.search(query)]


def test_persistence_round_trip(index: Index, analyzer: Analyzer, tmp_path: Path) -> None:
    index.add(Document("r10", "机器人减速器", "精密减速器。"))
    index.remove("r3")
    index.save(tmp_path / "idx")
    loaded = Index.load(tmp_path / "idx", analyzer)
    for query in ("电池", "机器人减速器", "含氟聚合物涂层", DOCS[3]):
        assert loaded.search(query) == index.search(query)
    assert loaded.ids == index.ids


def test_load_refuses_another_analyzer(index: Index, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    with pytest.raises(ValueError, match="rebuild"):
        Index.load(tmp_path / "idx", Analyzer(stopwords=["的"]))


def test_field_weight_is_inactive_without_the_field(make_index: Callable[..., Index]) -> None:
    docs = [Document("a", text="氟橡胶密封件"), Document("b", text="液流电池")]
    plain = make_index(docs)
    boosted = make_index(docs, title_weight=5.0, keywords_weight=5.0)
    assert plain.search("氟橡胶") == boosted.search("氟橡胶")


def test_title_field_is_boosted(make_index: Callable[..., Index]) -> None:
    docs = [
        Document("a", title="氟橡胶", text="密封件的配方研究。"),
        Document("b", text="密封件的配方研究，涉及氟橡胶。"),
    ]
    assert make_index(docs, title_weight=3.0).search("氟橡胶", k=1)[0].doc_id == "a"


def test_empty_index_returns_nothing(make_index: Callable[..., Index]) -> None:
    assert make_index([]).search("储能") == []


def test_a_pair_scored_without_terms_has_the_same_score(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    query = Document("q", title="耐高温氟橡胶密封件", text="发动机密封件需要耐二百摄氏度的氟橡胶材料。")
    for doc_id in index.ids:
        full, plain = index.score_of(query, doc_id), index.score_of(query, doc_id, with_terms=False)
        assert (full is None) == (plain is None)
        if full is not None and plain is not None:
            assert plain.score == pytest.approx(full.score) and plain.raw_score == pytest.approx(full.raw_score)
            assert plain.terms == ()


def test_a_repeated_query_is_tokenized_once(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    from matchmaker.engine import index as index_module

    calls: list[str] = []
    real = index_module.analyze
    monkeypatch.setattr(index_module, "analyze", lambda *a, **kw: calls.append(a[2].text) or real(*a, **kw))
    query = Document("q", title="氟橡胶密封", text="耐高温氟橡胶密封材料")
    first = index.search(query, k=3)
    assert index.search(query, k=3) == first and len(calls) == 1
    index.set_synonyms(None)  # what a query expands to changed: analyzed again
    index.search(query, k=3)
    assert len(calls) == 2


def _frequent_word_docs() -> list[Document]:
    """温度 in 7 of 44 documents: above the 10 % cut-off for query terms (short queries keep every term)."""
    docs = [Document("hot", text="温度，传感器，标定"), Document("cold", text="湿度，传感器，标定")]
    docs += [Document(f"t{i}", text=f"反应温度对第{i}批产物的影响") for i in range(6)]
    docs += [Document(f"x{i}", text=f"液流电池第{i}号电堆的密封结构") for i in range(36)]
    return docs


def test_a_short_query_keeps_its_frequent_word(make_index: Callable[..., Index]) -> None:
    """Two keywords: the frequent one is half of what was asked, so it still counts."""
    index = make_index(_frequent_word_docs())
    hits = index.search("温度 传感器", k=2)
    assert [h.doc_id for h in hits] == ["hot", "cold"] and hits[0].score > hits[1].score
    dropped = make_index(_frequent_word_docs(), short_query_terms=0).search("温度 传感器", k=2)
    assert dropped[0].score == pytest.approx(dropped[1].score)  # cut off: 温度 no longer tells them apart


def test_a_long_query_still_drops_its_frequent_words(make_index: Callable[..., Index]) -> None:
    index = make_index(_frequent_word_docs(), short_query_terms=5)
    hits = index.search("温度 传感器", k=2)
    assert hits[0].score == pytest.approx(hits[1].score)
