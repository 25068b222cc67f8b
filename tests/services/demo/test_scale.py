"""`flask seed-scale`: published postings in bulk, texts from a paper file when given, synthetic otherwise."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Need, Result
from matchmaker.services.matching import index as match_index


def _count(model: Any, status: str = "published") -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.status == status)) or 0


def test_seed_scale_from_a_paper_file(app: Any, runner: Any, tmp_path: Path) -> None:
    papers = tmp_path / "papers.jsonl"
    lines = [{"title": f"测试论文{i}", "abstract": f"第{i}篇关于氢燃料电池催化剂的测试摘要。", "keywords": ["催化剂"]}
             for i in range(10)]
    papers.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in lines), encoding="utf-8")
    out = runner.invoke(args=["seed-scale", "--results", "30", "--needs", "20", "--papers", str(papers)])
    assert out.exit_code == 0, out.output
    assert _count(Result) == 30 and _count(Need) == 20
    assert db.session.scalar(select(Result.summary).limit(1)).endswith("测试摘要。")
    assert len(match_index.current().index) == 50


def test_seed_scale_without_corpus_is_synthetic(app: Any, runner: Any, tmp_path: Path) -> None:
    out = runner.invoke(args=["seed-scale", "--results", "5", "--needs", "5", "--papers", str(tmp_path / "none")])
    assert out.exit_code == 0, out.output
    assert "synthetic" in out.output and _count(Result) == 5 and _count(Need) == 5


def test_seeded_postings_pass_the_forms_rules(app: Any, runner: Any, tmp_path: Path) -> None:
    """A posting seed-scale wrote can be edited as it is: a paper keyword longer than a form allows is left out
    (the load bench's API edits were refused for one, 422)."""
    papers = tmp_path / "papers.jsonl"
    long_keyword = "基于多尺度特征融合与注意力机制的复杂工况下锂离子电池荷电状态估计"
    assert len(long_keyword) > 30
    papers.write_text(json.dumps({"title": "测试论文", "abstract": "关于荷电状态估计的测试摘要。",
                                  "keywords": ["荷电状态", long_keyword]}, ensure_ascii=False), encoding="utf-8")
    out = runner.invoke(args=["seed-scale", "--results", "3", "--needs", "3", "--papers", str(papers)])
    assert out.exit_code == 0, out.output
    for model in (Result, Need):
        assert [list(k) for k in db.session.scalars(select(model.keywords))] == [["荷电状态"]] * 3
