"""Needs written the way firms write them: synonyms, long-need damping, sense, readable terms, read-only explain."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.engine import (
    Analyzer,
    Document,
    Index,
    IndexConfig,
    Synonyms,
    build_index,
    explain,
    explain_unindexed,
)
from matchmaker.engine.features import analyze
from matchmaker.engine.terms import is_readable, readable_terms, reason_line

ENGINE = Path(__file__).resolve().parents[2] / "matchmaker" / "engine"

SOC_DOCS = [
    Document("typed", text="动力电池剩余电量的在线估算方法，考虑温度与老化的影响。", chain="storage"),
    Document("expanded", text="基于扩展卡尔曼滤波的锂电池荷电状态估算方法，考虑温度与老化的影响。", chain="storage"),
    Document("other", text="光伏组件清洗机器人的路径规划与控制。", chain="photovoltaic"),
]
SOC_SYNONYMS = Synonyms.from_mapping({"storage": {"剩余电量": ["荷电状态"]}})


# -- synonyms ---------------------------------------------------------------------------
def test_synonym_expansion_finds_the_paper_word_but_counts_less_than_the_typed_word(analyzer: Analyzer) -> None:
    plain = build_index(SOC_DOCS, analyzer)
    expanded = build_index(SOC_DOCS, analyzer, synonyms=SOC_SYNONYMS)
    need = Document("n", text="剩余电量估算不准", chain="storage")
    before = {h.doc_id: h.score for h in plain.search(need)}
    after = {h.doc_id: h.score for h in expanded.search(need)}
    assert after["expanded"] > before.get("expanded", 0.0)
    assert after["typed"] > after["expanded"]  # a typed word outweighs its synonym
    # The score bound is the typed query: the typed document scores as without synonyms.
    assert after["typed"] == pytest.approx(before["typed"], abs=0.02)
    assert all(0.0 < s <= 1.0 for s in after.values())


def test_expanded_weight_is_the_synonym_weight_and_never_above_a_typed_count(analyzer: Analyzer) -> None:
    cfg = IndexConfig(synonym_weight=0.5, query_run_exponent=0.0)  # unspread: the weights are the plain ones
    need = Document("", text="剩余电量 状态", chain="storage")
    feats = analyze(analyzer, cfg, need, query=True, synonyms=SOC_SYNONYMS)
    assert feats.expansions == (("剩余电量", "荷电状态"),)
    assert feats.chars["荷电"] == pytest.approx(0.5)
    assert feats.chars["状态"] == pytest.approx(1.0)  # typed as well: keeps the typed weight
    assert feats.typed_chars is not None and "荷电" not in feats.typed_chars


def test_synonyms_are_per_chain_and_reloadable_without_a_rebuild(analyzer: Analyzer) -> None:
    index = build_index(SOC_DOCS, analyzer)
    matrix = index._matrix

    def score(query: str | Document) -> float:
        return next((h.score for h in index.search(query) if h.doc_id == "expanded"), 0.0)

    plain = score("剩余电量")
    index.set_synonyms(SOC_SYNONYMS)
    assert score(Document("n", text="剩余电量", chain="photovoltaic")) == pytest.approx(plain)
    assert score(Document("n", text="剩余电量", chain="storage")) > plain
    assert score("剩余电量") > plain  # no chain: every chain's entries
    index.set_synonyms(None)
    assert score("剩余电量") == pytest.approx(plain)
    assert index._matrix is matrix  # nothing was rebuilt


def test_explanation_reports_synonym_pairs_and_a_reason(analyzer: Analyzer) -> None:
    index = build_index(SOC_DOCS, analyzer, synonyms=SOC_SYNONYMS)
    e = explain(index, Document("n", text="剩余电量估算不准", chain="storage"), "expanded")
    assert e is not None
    assert e.synonyms == (("剩余电量", "荷电状态"),)
    assert "荷电状态" in e.terms
    assert e.reason.startswith("都涉及 ") and "剩余电量 ≈ 荷电状态" in e.reason


def test_synonyms_load_from_a_json_file(tmp_path: Path) -> None:
    (tmp_path / "synonyms.json").write_text(
        '{"_about": "x", "storage": {"剩余电量": ["荷电状态", "SOC", "剩余电量"]}, "*": {"划痕": ["表面缺陷"]}}',
        encoding="utf-8",
    )
    syn = Synonyms.load(tmp_path)
    assert syn.table("storage") == {"划痕": ("表面缺陷",), "剩余电量": ("荷电状态", "soc")}
    assert Synonyms.load(tmp_path / "missing.json").by_chain == {}
    shipped = Synonyms.load(ENGINE.parents[1] / "corpus")
    assert shipped and "荷电状态" in shipped.table("storage")["剩余电量"]


# -- long needs ---------------------------------------------------------------------------
NARRATIVE = (
    "我公司是一家做燃料电池的企业，目前的问题是膜在高温低湿条件下容易衰减，需要提高耐久性，"
    "同时希望降低成本。另外公司明年计划建设新的仓库和展厅，也在招聘财务人员，欢迎联系。"
    "合作方式可以是技术转让、委托开发或者共建实验室，费用可以分期支付，具体细节面谈。"
)


def test_narrative_terms_found_once_and_nowhere_else_are_damped(analyzer: Analyzer) -> None:
    need = Document("n", title="质子交换膜耐久性", text=NARRATIVE, keywords=("质子交换膜",))
    assert len(NARRATIVE) >= IndexConfig().long_text_chars
    plain = analyze(analyzer, IndexConfig(narrative_damping=1.0), need, query=True)
    damped = analyze(analyzer, IndexConfig(narrative_damping=0.5), need, query=True)
    assert plain.words["仓库"] == pytest.approx(1.0)
    assert damped.words["仓库"] == pytest.approx(0.5)  # once, narrative only
    assert damped.words["耐久性"] == plain.words["耐久性"]  # also in the title
    short = Document("n", title="质子交换膜", text="仓库盘点")  # short narrative: untouched
    assert analyze(analyzer, IndexConfig(narrative_damping=0.5), short, query=True).words["仓库"] == 1.0
    unstructured = Document("n", text=NARRATIVE)  # nothing to compare with: untouched
    assert analyze(analyzer, IndexConfig(narrative_damping=0.5), unstructured, query=True).words["仓库"] == 1.0


def test_damping_keeps_a_side_clause_from_taking_over(analyzer: Analyzer) -> None:
    docs = [
        Document("pem", text="短支链全氟磺酸质子交换膜在高温低湿条件下的耐久性测试。"),
        Document("warehouse", text="仓库展厅建设与财务人员招聘管理，仓库布局，展厅设计，财务制度。"),
    ]
    need = Document("n", title="质子交换膜耐久性", text=NARRATIVE, keywords=("质子交换膜",))
    plain = {h.doc_id: h.score for h in build_index(docs, analyzer, IndexConfig(narrative_damping=1.0)).search(need)}
    damped = {h.doc_id: h.score for h in build_index(docs, analyzer, IndexConfig(narrative_damping=0.5)).search(need)}
    assert damped["pem"] / damped["warehouse"] > plain["pem"] / plain["warehouse"]


def test_indicators_are_a_field_and_survive_save_and_load(analyzer: Analyzer, tmp_path: Path) -> None:
    doc = Document("r", title="电堆", text="燃料电池电堆", indicators="功率密度≥0.5 W/cm2")
    index = build_index([doc, *SOC_DOCS], analyzer)
    assert index.search("功率密度", k=1)[0].doc_id == "r"
    index.save(tmp_path / "ix")
    assert Index.load(tmp_path / "ix", analyzer).get("r") == doc


# -- sense --------------------------------------------------------------------------------
SENSE_DOCS = [
    Document("expander", text="二氧化碳膨胀机的膨胀过程与效率。"),
    Document("soil", text="膨胀土的胀缩特性试验。"),
    Document("anode1", text="锂离子电池负极材料的循环性能。", chain="storage"),
    Document("anode2", text="钠离子电池硬碳负极的倍率性能。", chain="storage"),
    Document("anode3", text="负极集流体与电解液界面。", chain="storage"),
    Document("misc1", text="城市道路交通规划。"),
    Document("misc2", text="小麦育种与产量。"),
]


def test_a_term_whose_documents_sit_in_other_chains_counts_less_for_the_need(analyzer: Analyzer) -> None:
    need = Document("n", text="负极 膨胀", chain="storage")
    plain = build_index(SENSE_DOCS, analyzer, IndexConfig(sense_floor=0.2))
    assert plain.search(need, k=1)[0].doc_id == "expander"  # no labels: sense is off
    plain.label_chains(lambda d: d.chain)
    assert plain.search(need, k=1)[0].doc_id.startswith("anode")
    assert plain.search("负极 膨胀", k=1)[0].doc_id == "expander"  # a query without a chain: unchanged
    off = build_index(SENSE_DOCS, analyzer)  # sense_floor 1.0: off even with labels
    off.label_chains({d.id: d.chain for d in SENSE_DOCS})
    assert off.search(need, k=1)[0].doc_id == "expander"


# -- readable terms -----------------------------------------------------------------------
def test_shared_terms_are_whole_words_never_fragments(analyzer: Analyzer) -> None:
    query = "协作机器人关节用的交叉滚子轴承"
    units = list(query)
    weights = {a + b: 0.1 for a, b in zip(units, units[1:], strict=False)} | dict.fromkeys(units, 0.01)
    doc = "用于工业机器人关节用减速器及交叉滚子轴承的精度"
    raw = [t for t, _ in readable_terms([units], weights.items(), (), doc)]
    assert "机器人关节用" in raw  # the old behaviour: a chain of bigrams, cut anywhere
    terms = [
        t
        for t, _ in readable_terms(
            [units], weights.items(), (), doc, analyzer.cut, analyzer.stopwords, is_word=analyzer.is_word
        )
    ]
    assert "机器人关节" in terms  # starts inside the compound 协作机器人, where the word 机器人 starts
    assert "交叉滚子轴承" in terms or {"交叉", "滚子", "轴承"} <= set(terms)
    assert not any(t.endswith("用") or t in ("器人关节用", "器人", "人关节") for t in terms)
    # Without the dictionary lookup: whole query words only.
    plain = [t for t, _ in readable_terms([units], weights.items(), (), doc, analyzer.cut, analyzer.stopwords)]
    assert "关节" in plain and "机器人关节" not in plain


def test_a_phrase_never_ends_inside_a_word(analyzer: Analyzer) -> None:
    units = list("燃料电池膜耐久性")
    weights = {a + b: 0.1 for a, b in zip(units, units[1:], strict=False)}
    doc = "燃料电极的耐久性"  # shares 燃料电 but not 燃料电池
    terms = [t for t, _ in readable_terms([units], weights.items(), (), doc, analyzer.cut, (), None, analyzer.is_word)]
    assert "燃料电" not in terms
    assert "耐久性" in terms


def test_hit_terms_have_no_bare_units_or_numbers(analyzer: Analyzer) -> None:
    docs = [Document("r", text="单电池功率密度达到0.5 W/cm2，运行750 h，协作机器人关节用精密减速器。")]
    index = build_index(docs, analyzer)
    hit = index.search("功率密度≥0.5 W/cm2 750 h 协作机器人关节用", k=1)[0]
    assert "功率密度" in hit.terms
    assert not {"cm2", "0.5", "w", "750", "h", "5"} & set(hit.terms)
    assert all(is_readable(t) for t in hit.terms)
    assert not any(t in ("器人关节用", "器人", "人关") for t in hit.terms)


@pytest.mark.parametrize(("term", "ok"), [("cm2", False), ("mg", False), ("v", False), ("750", False),
                                          ("0.5", False), ("kwh", False), ("soc", True), ("rfid", True),
                                          ("107硅橡胶", True), ("膜", False), ("荷电状态", True)])
def test_readable_terms_filter(term: str, ok: bool) -> None:
    assert is_readable(term) is ok


def test_reason_line() -> None:
    assert reason_line(["交叉滚子轴承", "国产化", "精度"]) == "都涉及 交叉滚子轴承 的 国产化 与 精度"
    assert reason_line(["荷电状态"], [("剩余电量", "荷电状态")]) == "都涉及 荷电状态（剩余电量 ≈ 荷电状态）"
    assert reason_line([]) == ""


# -- read paths never write ---------------------------------------------------------------
def _fingerprint(index: Index, root: Path) -> str:
    index.save(root)
    h = hashlib.sha256()
    for name in ("index.npz", "index.json"):
        h.update((root / name).read_bytes())
    return h.hexdigest()


def test_explaining_an_unindexed_draft_leaves_the_index_unchanged(
    make_index: Callable[..., Index], tmp_path: Path
) -> None:
    index = make_index()
    before = _fingerprint(index, tmp_path / "a")
    state = (len(index), len(index.chars.terms), len(index.words.terms), index.chars.df.copy(), index.chars.avgdl)
    draft = Document("draft", title="质子交换膜电解槽", text="新型质子交换膜电解水制氢装置，降低制氢成本。")
    need = Document("n1", title="电解水制氢", text="需要质子交换膜电解槽的制氢方案。")
    e = explain_unindexed(index, need, draft)
    hit = index.score_document(need, draft)
    assert e is not None and hit is not None and 0.0 < hit.score <= 1.0
    assert "质子交换膜电解槽" in e.terms and e.reason
    assert e.doc_spans and all(s.field in ("title", "text") for s in e.doc_spans)
    assert "draft" not in index and index.get("draft") is None
    assert not any(h.doc_id == "draft" for h in index.search(need, k=20))
    after = _fingerprint(index, tmp_path / "b")
    assert after == before
    assert state[:3] == (len(index), len(index.chars.terms), len(index.words.terms))
    assert np.array_equal(state[3], index.chars.df) and state[4] == index.chars.avgdl


def test_unindexed_score_is_close_to_the_indexed_one(make_index: Callable[..., Index]) -> None:
    index = make_index()
    draft = Document("draft", title="质子交换膜电解槽", text="新型质子交换膜电解水制氢装置。")
    need = "质子交换膜 电解槽"
    read_only = index.score_document(need, draft)
    index.add(draft)
    indexed = index.score_of(need, "draft")
    assert read_only is not None and indexed is not None
    assert read_only.score == pytest.approx(indexed.score, rel=0.25)


# -- module structure ---------------------------------------------------------------------
def _runtime_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:  # top level only: TYPE_CHECKING blocks are ``if`` statements
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_explain_and_index_do_not_import_each_other_at_run_time() -> None:
    assert "matchmaker.engine.index" not in _runtime_imports(ENGINE / "explain.py")
    assert "matchmaker.engine.explain" not in _runtime_imports(ENGINE / "index.py")
    terms = _runtime_imports(ENGINE / "terms.py")
    assert not {"matchmaker.engine.index", "matchmaker.engine.explain"} & terms


def test_spread_parts_weigh_a_short_rare_keyword_like_a_long_one(analyzer: Analyzer) -> None:
    """With query_run_exponent, a typed part's weight is spread over its n grams (weight / n ** e)."""
    spread = IndexConfig(query_run_exponent=0.5)
    feats = analyze(analyzer, spread, Document("", text="多核处理器 costream"), query=True)
    plain = analyze(analyzer, IndexConfig(query_run_exponent=0.0), Document("", text="多核处理器 costream"), query=True)
    assert plain.chars["处理"] == plain.chars["costream"] == pytest.approx(1.0)
    assert feats.chars["costream"] == pytest.approx(1.0)  # one gram: its whole weight
    assert feats.chars["处理"] == pytest.approx(1 / 9**0.5)  # 5 unigrams + 4 bigrams share it
    assert feats.words == plain.words


def test_spread_expansion_still_counts_less_than_typing_it(analyzer: Analyzer) -> None:
    spread = IndexConfig(query_run_exponent=0.5)
    expanded = analyze(analyzer, spread, Document("", text="剩余电量", chain="storage"), query=True,
                       synonyms=SOC_SYNONYMS)
    typed = analyze(analyzer, spread, Document("", text="荷电状态", chain="storage"), query=True)
    assert 0 < expanded.chars["荷电"] < typed.chars["荷电"]


def _scanned_spans(runs: list[list[str]], weights: dict[str, float], doc: str) -> list[tuple[int, int, int, float]]:
    """The plain scan of every unit that `_char_spans` replaced: the reference for its output."""
    used: set[str] = set()
    out: list[tuple[int, int, int, float]] = []
    for r, units in enumerate(runs):
        i = 0
        while i < len(units) - 1:
            j = i
            while j < len(units) - 1 and units[j] + units[j + 1] in weights and "".join(units[i : j + 2]) in doc:
                j += 1
            if j == i:
                i += 1
                continue
            grams = [units[p] + units[p + 1] for p in range(i, j)] + list(units[i : j + 1])
            out.append((r, i, j, sum(weights.get(g, 0.0) for g in set(grams) - used)))
            used.update(grams)
            i = j + 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("电池膜氢能储燃料", min_size=1, max_size=12), min_size=1, max_size=4),
       st.text("电池膜氢能储燃料，", max_size=30), st.randoms(use_true_random=False))
def test_spans_visit_only_matched_bigrams_with_the_same_result(runs: list[str], doc: str, rnd: Any) -> None:
    from matchmaker.engine.terms import _char_spans, bigram_positions

    units = [list(r) for r in runs]
    grams = {u[i] + u[i + 1] for u in units for i in range(len(u) - 1)} | {c for u in units for c in u}
    weights = {g: round(rnd.random(), 3) for g in sorted(grams) if rnd.random() < 0.6}
    expected = _scanned_spans(units, weights, doc)
    assert _char_spans(units, weights, doc) == expected
    assert _char_spans(units, weights, doc, bigram_positions(units)) == expected
