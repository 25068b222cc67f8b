"""The fast paths give the same answers as the plain ones: jieba cut, bulk build, delta, persistence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine import Analyzer, Document, Index, build_index
from tests.engine.conftest import DOCS

QUERIES = ["含氟聚合物涂层", "机器视觉 抓取", "储能电站 液流电池", "制氢 电解槽", "固态电池", "氟橡胶密封件", "电池"]


def _same(a: Index, b: Index, with_terms: bool = True, scores: bool = True) -> None:
    """Same hits (all of them, so ties cannot fall differently across a cut-off)."""
    for q in [*QUERIES, DOCS[1]]:
        ha, hb = a.search(q, k=100, with_terms=with_terms), b.search(q, k=100, with_terms=with_terms)
        assert {h.doc_id for h in ha} == {h.doc_id for h in hb}, q
        if not scores:  # avgdl stays frozen until the next full build
            continue
        by_id = {h.doc_id: h for h in hb}
        for x in ha:
            y = by_id[x.doc_id]
            assert x.score == pytest.approx(y.score, rel=1e-5)
            assert x.raw_score == pytest.approx(y.raw_score, rel=1e-5)
            assert x.terms == y.terms
        assert [round(h.score, 5) for h in ha] == [round(h.score, 5) for h in hb]


@pytest.mark.parametrize(
    "text",
    [
        "有机硅改性含氟聚合物涂层，具有优异的耐候性",
        "lifepo4电池与soc估计，3.5v/100%",
        "采用高通量筛选方法完成柔性装配",
        "a b c 1 2 3 机器人abc机器人",
        "",
    ],
)
def test_fast_cut_equals_jieba(analyzer: Analyzer, text: str) -> None:
    assert analyzer._cut is not None
    assert analyzer._cut(text) == analyzer.tokenizer.lcut(text, HMM=False)


_ALPHABET = st.sampled_from("机器人视觉储能电池氢燃料的了和abc12 .，-_%")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40) | st.text(max_size=40))
def test_fast_cut_equals_jieba_on_any_text(text: str) -> None:
    an = _ANALYZER
    assert an._cut is not None
    assert an._cut(text) == an.tokenizer.lcut(text, HMM=False)


_ANALYZER = Analyzer()
_ANALYZER.tokenizer  # noqa: B018


def test_many_adds_and_removes_match_a_fresh_build(
    index: Index, make_index: Callable[..., Index], monkeypatch: pytest.MonkeyPatch
) -> None:
    import matchmaker.engine.index as mod

    body = "号：锂离子电池与储能电站的热管理，氟橡胶密封。"
    extra = [Document(f"x{i}", f"补充记录{i}", f"第{i}{body}") for i in range(12)]
    monkeypatch.setattr(mod, "_DELTA_LIMIT", 5)  # cross a delta rebuild on the way
    for d in extra:
        index.add(d)
    for i in ("r2", "x3", "x7"):
        index.remove(i)
    index.add(Document("x5", "替换", "液流电池替换记录"))
    expected = [d for d in DOCS if d.id != "r2"] + [d for d in extra if d.id not in {"x3", "x7", "x5"}]
    expected.append(Document("x5", "替换", "液流电池替换记录"))
    fresh = make_index(expected)
    assert sorted(index.ids) == sorted(fresh.ids)
    _same(index, fresh, scores=False)
    index.rebuild()  # same statistics as the fresh build from here
    _same(index, fresh)
    _same(index, fresh, with_terms=False)


def test_delta_documents_score_like_built_ones(index: Index, make_index: Callable[..., Index]) -> None:
    new = Document("r7", "工业机器人减速器", "谐波减速器的齿形设计与寿命试验，用于工业机器人关节。")
    index.add(new)  # lives in the delta postings until the next rebuild
    before = index.search("谐波减速器 工业机器人", k=3, with_terms=False)
    index.rebuild()
    after = index.search("谐波减速器 工业机器人", k=3, with_terms=False)
    assert [h.doc_id for h in before] == [h.doc_id for h in after]
    assert before[0].doc_id == "r7"


def test_cheap_and_full_hits_agree(index: Index) -> None:
    for q in QUERIES:
        cheap, full = index.search(q, with_terms=False), index.search(q)
        assert [h.doc_id for h in cheap] == [h.doc_id for h in full]
        for c, f in zip(cheap, full, strict=True):
            assert c.score == pytest.approx(f.score, rel=1e-5)
            assert c.raw_score == pytest.approx(f.raw_score, rel=1e-5)
            assert c.terms == () and c.contributions == ()


def test_save_load_gives_identical_hits(index: Index, analyzer: Analyzer, tmp_path: Path) -> None:
    index.add(Document("r10", "机器人减速器", "精密减速器。"))
    index.remove("r4")
    index.save(tmp_path / "idx")
    loaded = Index.load(tmp_path / "idx", analyzer)
    for q in [*QUERIES, DOCS[3]]:
        assert loaded.search(q, with_terms=False) == index.search(q, with_terms=False)
        assert loaded.search(q) == index.search(q)


def test_identical_texts_and_repeated_ids_in_one_batch(analyzer: Analyzer) -> None:
    copies = [Document(f"{d.id}#{c}", d.title, d.text, d.keywords) for c in range(3) for d in DOCS]
    replaced = [*copies, Document("r1#0", "替换后的记录", "谐波减速器")]  # a later duplicate id wins
    index = build_index(replaced, analyzer)
    assert len(index) == 3 * len(DOCS)
    assert index.get("r1#0") == replaced[-1]
    hits = index.search("液流电池储能电站", k=3, with_terms=False)
    assert {h.doc_id for h in hits} == {"r3#0", "r3#1", "r3#2"}
    assert len({h.score for h in hits}) == 1  # copies score the same


def test_worker_processes_build_the_same_index(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    import matchmaker.engine.features as feats

    monkeypatch.setattr(feats, "_MIN_PARALLEL", 1)
    monkeypatch.setattr(feats, "_CHUNK", 2)
    serial = build_index(DOCS, analyzer)
    parallel = build_index(DOCS, analyzer, workers=2)
    assert parallel.chars.terms != [] and sorted(parallel.chars.terms) == sorted(serial.chars.terms)
    _same(serial, parallel)


@pytest.mark.parametrize("max_df", [0.1, 0.5, 1.0])
def test_query_tables_match_direct_idf(index: Index, max_df: float) -> None:
    """The per-term IDF tables of a built channel give exactly the directly computed vectors."""
    for ch in (index.chars, index.words):
        assert ch._frozen
        for q in [*QUERIES, DOCS[1].text, "未知词汇zzz"]:
            counts = {t: 1.0 + i % 3 for i, t in enumerate(index.analyzer.char_grams(index.analyzer.normalize(q)))}
            counts.update({w: 1.0 for w in index.analyzer.words(index.analyzer.normalize(q))})
            fast = ch.query(counts, max_df)
            ch._frozen = False
            try:
                direct = ch.query(counts, max_df)
            finally:
                ch._frozen = True
            assert fast.ids.tolist() == direct.ids.tolist()
            assert fast.weights.tobytes() == direct.weights.tobytes()
            assert fast.upper == direct.upper


def test_short_and_long_queries_keep_one_table_each(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Short queries use another cut-off than long ones: alternating must not rebuild the table every time."""
    built: list[float] = []
    original = type(index.chars)._stats

    def counted(self: Any, max_df: float) -> Any:
        built.append(max_df)
        return original(self, max_df)

    monkeypatch.setattr(type(index.chars), "_stats", counted)
    for _ in range(3):
        for max_df in (0.1, 1.0):
            index.chars.query({"电池": 1.0}, max_df)
    assert sorted(built) == [0.1, 1.0]


def test_query_tables_follow_changes(index: Index) -> None:
    """After an add or a removal the IDF changes, and queries see it before the next build."""
    before = index.chars.query({"电池": 1.0})
    index.add(Document("new-1", text="电池电池电池"))
    assert not index.chars._frozen
    after = index.chars.query({"电池": 1.0})
    assert after.weights.tobytes() != before.weights.tobytes()
    index.rebuild()
    assert index.chars.query({"电池": 1.0}).weights.tobytes() == after.weights.tobytes()


def test_plain_hit_is_a_hit() -> None:
    """The fast constructor of term-less hits builds exactly ``Hit(doc_id, score, raw_score)``."""
    from matchmaker.engine.index import _plain_hit
    from matchmaker.engine.types import Hit

    fast, plain = _plain_hit("d", 0.25, 1.5), Hit("d", 0.25, 1.5)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert type(fast) is Hit and vars(fast) == vars(plain)
    with pytest.raises(AttributeError):
        fast.score = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_equal_scores_at_the_cut_off_go_to_lower_slots(make_index: Callable[..., Index], k: int) -> None:
    """Top k over identical documents: the first inserted win, whatever the partition does."""
    twins = [Document(f"twin-{i}", text="含氟聚合物涂层的耐候性") for i in range(6)]
    index = make_index([*DOCS, *twins, Document("other", text="机器视觉抓取")])
    hits = index.search("含氟聚合物涂层", k=k, with_terms=False)
    best = index.search("含氟聚合物涂层", k=100, with_terms=False)
    assert [h.doc_id for h in hits] == [h.doc_id for h in best[:k]]
    twin_ranks = [h.doc_id for h in best if h.doc_id.startswith("twin-")]
    assert twin_ranks == [f"twin-{i}" for i in range(6)]


def test_kept_query_weights_follow_every_change(index: Index, make_index: Callable[..., Index]) -> None:
    """A query weighed once is reused only while the index stays the same: after an add, a removal, a build
    or new synonyms every answer equals the one of an index that never kept anything."""
    from matchmaker.engine import Synonyms

    def ops(ix: Index, search_between: bool) -> list[object]:
        seen: list[object] = []

        def look() -> list[object]:
            out: list[object] = []
            for q in [*QUERIES, DOCS[1]]:
                out.append([(h.doc_id, h.score, h.terms) for h in ix.search(q, k=20)])
                out.append([(h.doc_id, h.score, h.raw_score) for h in ix.search(q, k=20, with_terms=False)])
                hit = ix.score_of(q, "r1")
                out.append(None if hit is None else (hit.score, hit.terms, hit.contributions))
            return out

        steps = [lambda: ix.add(Document("new-1", "电池", "电池电池电池 固态电池 储能电站")),
                 lambda: ix.remove("r2"), ix.rebuild,
                 lambda: ix.set_synonyms(Synonyms.from_mapping({"*": {"电池": ["锂离子电池"]}}))]
        for step in steps:
            before = ix.mutations
            if search_between:
                assert look() == look()  # the second one from the kept weights
            step()
            assert ix.mutations > before
            seen.append(look())
        return seen

    fresh = make_index(list(DOCS))
    assert ops(index, True) == ops(fresh, False)


def test_kept_query_analyses_share_their_terms(index: Index) -> None:
    """A kept query analysis is the analysis itself, with its terms and run units shared between queries (the
    cache holds thousands: a posting's page scores its candidates with their own texts)."""
    from matchmaker.engine.features import analyze

    first, second = DOCS[1], Document("q2", "机器视觉检测", "基于机器视觉的缺陷检测")
    for doc in (first, second):
        kept, plain = index._query_feats(doc), analyze(index.analyzer, index.config, doc, query=True)
        assert kept == plain and list(kept.chars) == list(plain.chars)
    a, b = index._query_feats(first).chars, index._query_feats(second).chars
    shared = set(a) & set(b)
    assert "机器" in shared
    assert all(next(t for t in a if t == term) is next(t for t in b if t == term) for term in shared)
    assert index._query_feats(first) is index._query_feats(first)
