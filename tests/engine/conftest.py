"""Engine fixtures: a tiny corpus directory and documents written for these tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from matchmaker.engine import Analyzer, Document, Index, build_index

CHAINS = [
    {
        "code": "fluorosilicon",
        "name": "氟硅材料",
        "terms": ["氟硅材料", "有机硅", "含氟聚合物", "氟橡胶", "硅烷偶联剂"],
    },
    {"code": "robot", "name": "机器人", "terms": ["工业机器人", "伺服电机", "减速器", "机器视觉", "协作机器人"]},
    {"code": "storage", "name": "储能", "terms": ["储能电站", "锂离子电池", "液流电池", "电池管理系统", "固态电池"]},
    {"code": "hydrogen", "name": "氢能", "terms": ["氢燃料电池", "电解水制氢", "储氢", "加氢站", "质子交换膜"]},
]
USERDICT = "高通量筛选 20 n\n柔性装配 10 n\n"
STOPWORDS = "的\n了\n和\n与\n在\n是\n等\n及\n一种\n"

DOCS = [
    Document(
        "r1",
        "有机硅改性含氟聚合物涂层",
        "本项目开发了一种有机硅改性含氟聚合物涂层，具有优异的耐候性和疏水性，可用于建筑外墙和船舶防污。",
        ("含氟聚合物", "防污涂层"),
        "fluorosilicon",
    ),
    Document(
        "r2",
        "协作机器人视觉抓取系统",
        "基于机器视觉的协作机器人抓取系统，采用深度相机识别零件位姿，伺服电机驱动六轴机械臂完成柔性装配。",
        ("机器视觉", "协作机器人"),
        "robot",
    ),
    Document(
        "r3",
        "液流电池储能电站",
        "全钒液流电池储能电站的电池管理系统与热管理方案，提升循环寿命和安全性。",
        (),
        "storage",
    ),
    Document(
        "r4",
        "电解水制氢装置",
        "碱性电解水制氢装置及质子交换膜电解槽，配套加氢站储氢方案，降低制氢成本。",
        ("制氢",),
        "hydrogen",
    ),
    Document(
        "r5",
        "固态锂离子电池电解质",
        "一种硫化物固态电解质材料，用于固态锂离子电池，提高能量密度与安全性。",
        (),
        "storage",
    ),
    Document(
        "r6",
        "耐高温氟橡胶密封件",
        "氟橡胶配方优化，制备耐高温耐油密封件，应用于汽车发动机和化工泵阀。",
        (),
        "fluorosilicon",
    ),
]


def write_corpus(root: Path) -> Path:
    """Write chains.json, userdict.txt and stopwords.txt into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "chains.json").write_text(json.dumps(CHAINS, ensure_ascii=False), encoding="utf-8")
    (root / "userdict.txt").write_text(USERDICT, encoding="utf-8")
    (root / "stopwords.txt").write_text(STOPWORDS, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def analyzer(corpus_dir: Path) -> Analyzer:
    an = Analyzer.from_corpus(corpus_dir)
    an.tokenizer  # load jieba once per session  # noqa: B018
    return an


@pytest.fixture
def make_index(analyzer: Analyzer) -> Callable[..., Index]:
    def make(docs: list[Document] | None = None, **config: object) -> Index:
        from matchmaker.engine import IndexConfig

        return build_index(DOCS if docs is None else docs, analyzer, IndexConfig(**config))  # type: ignore[arg-type]

    return make


@pytest.fixture
def index(make_index: Callable[..., Index]) -> Index:
    return make_index()
