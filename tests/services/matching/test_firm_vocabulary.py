"""The firm vocabulary in the running app: a search in a firm's words finds the paper's terms through the chain's
synonyms (shipped in corpus/synonyms.json until staff edit them), staff edits take effect without a rebuild, and
the explanation says which firm word matched which term."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, IndexChange, User
from matchmaker.services import chains
from matchmaker.services.errors import FieldErrors, ValidationFailed
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching import suggestions
from matchmaker.services.search import postings as search_postings

STORAGE_RESULT = {"title": "锂离子电池组荷电状态在线估计方法", "keywords": ["电池管理系统", "卡尔曼滤波"],
                  "summary": "基于扩展卡尔曼滤波的电池荷电状态估计，适用于储能电站电池簇的在线监测，误差小于百分之二。",
                  "innovations": "温度补偿的等效电路模型。", "indicators": "估计误差不超过百分之二。"}


OTHER_STORAGE_RESULTS = [
    {"title": "储能电站电池热失控预警系统", "keywords": ["热失控", "储能电站"],
     "summary": "通过电压、温度和气体信号监测电池热失控风险，提前报警。", "innovations": "多信号融合。",
     "indicators": "预警时间提前十分钟。"},
    {"title": "高倍率磷酸铁锂正极材料", "keywords": ["磷酸铁锂", "正极材料"],
     "summary": "碳包覆纳米磷酸铁锂正极，提高电池倍率性能和循环寿命。", "innovations": "原位碳包覆。",
     "indicators": "十倍率放电容量保持率百分之九十。"},
    {"title": "液流电池电解液制备技术", "keywords": ["全钒液流电池", "电解液"],
     "summary": "低成本高纯度钒电解液的制备工艺，用于大规模储能。", "innovations": "溶剂萃取提纯。",
     "indicators": "纯度百分之九十九点九。"},
]


def _storage(default_chains: list[Chain], make_posting: Callable[..., Any]) -> tuple[Chain, Any]:
    """The storage chain with four published results; the first speaks of 荷电状态 (SOC), never of 剩余电量."""
    chain = next(c for c in default_chains if c.code == "storage")
    result = make_posting("result", chain_id=chain.id, **STORAGE_RESULT)
    for other in OTHER_STORAGE_RESULTS:
        make_posting("result", chain_id=chain.id, **other)
    return chain, result


def _found(q: str) -> list[int]:
    """What the results search box finds (the engine above SEARCH_MIN_SCORE), best first."""
    return search_postings.ranked_ids("result", q)


def test_a_firm_word_finds_the_technical_term(default_chains: list[Chain], make_posting: Callable[..., Any],
                                              make_user: Callable[..., User]) -> None:
    chain, result = _storage(default_chains, make_posting)
    assert match_index.synonyms_of(chain)["剩余电量"][0] == "荷电状态"  # shipped, nobody edited it
    assert _found("剩余电量")[:1] == [result.id]
    staff = make_user("staff")
    kept = {w: t for w, t in match_index.synonyms_of(chain).items() if w != "剩余电量"}
    chains.update_chain(chain.id, {"name": chain.name, "description": chain.description, "terms": chain.terms,
                                   "synonyms": chains.synonyms_text(kept)}, staff)
    ops = list(db.session.scalars(select(IndexChange.op).order_by(IndexChange.id.desc()).limit(1)))
    assert ops == ["lexicon"]  # the vocabulary itself did not change: no rebuild
    assert result.id not in _found("剩余电量")  # the next search expands without it
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "update",
                                                        AuditEntry.entity_type == "chain")).one()
    before, after = entry.changes["synonyms"]["before"], entry.changes["synonyms"]["after"]
    assert before is None and "剩余电量" not in after and after  # from the shipped list to staff's own


def test_the_explanation_names_the_firm_word(default_chains: list[Chain], make_posting: Callable[..., Any],
                                            make_user: Callable[..., User]) -> None:
    chain, result = _storage(default_chains, make_posting)
    need = make_posting("need", chain_id=chain.id, title="储能柜电池剩余电量显示不准",
                        problem="我公司储能柜的电池剩余电量显示误差大，希望引进在线估算技术，提高电池簇监测精度。")
    pair = suggestions.explain_pair(need, result, make_user("staff"))
    assert ("剩余电量", "荷电状态") in pair.synonyms
    assert pair.reason.startswith("都涉及 ")


@pytest.mark.parametrize(("text", "problem"), [
    ("剩余电量", "第 1 行格式不对"),  # no terms
    ("剩余电量 = ", "第 1 行格式不对"),
    ("荷电状态 = 荷电状态\n" + "甲" * 31 + " = 乙", "第 1、2 行格式不对"),  # only itself; a word too long
])
def test_bad_synonym_lines_are_named(app: Any, text: str, problem: str) -> None:
    errors = FieldErrors()
    chains.parse_synonyms(errors, text)
    assert problem in str(errors.errors["synonyms"][0])


def test_synonym_lines_parse_every_separator(app: Any) -> None:
    errors = FieldErrors()
    text = "剩余电量 = 荷电状态、SOC\n燃料电池膜＝质子交换膜，全氟磺酸膜\n\n制氢 → 电解水；析氢"
    table = chains.parse_synonyms(errors, text)
    assert not errors.errors
    assert table == {"剩余电量": ["荷电状态", "SOC"], "燃料电池膜": ["质子交换膜", "全氟磺酸膜"],
                     "制氢": ["电解水", "析氢"]}
    assert chains.parse_synonyms(FieldErrors(), chains.synonyms_text(table)) == table


def test_a_bad_edit_saves_nothing(default_chains: list[Chain], make_user: Callable[..., User]) -> None:
    chain = next(c for c in default_chains if c.code == "storage")
    with pytest.raises(ValidationFailed):
        chains.update_chain(chain.id, {"name": chain.name, "terms": chain.terms, "synonyms": "剩余电量"},
                            make_user("staff"))
    db.session.refresh(chain)
    assert chain.synonyms is None
