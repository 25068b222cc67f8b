"""Search test fixtures: a small library of published postings (authored here, a few lines each), a SQL recorder."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from matchmaker.extensions import db
from matchmaker.models import Chain


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the test runs (a before_cursor_execute listener on the app's engine)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def chain_of(default_chains: list[Chain]) -> Callable[[str], Chain]:
    by_code = {c.code: c for c in default_chains}
    return by_code.__getitem__


@pytest.fixture
def library(make_posting: Callable[..., Any], chain_of: Callable[[str], Chain]) -> dict[str, Any]:
    """Three fuel-cell postings, two reducers, the seal, a battery recycling result and a fuel-cell need."""
    h2, robot, fluoro, storage = (chain_of(c).id for c in ("hydrogen", "robotics", "fluorosilicon", "storage"))
    return {
        "plate": make_posting("result", title="燃料电池金属双极板碳基复合涂层", chain_id=h2, trl=6,
                              keywords=["燃料电池", "双极板"], modes=["license"],
                              summary="面向质子交换膜燃料电池的不锈钢双极板涂层，降低接触电阻、提高耐腐蚀性。"),
        "mea": make_posting("result", title="低铂高耐久质子交换膜燃料电池膜电极", chain_id=h2, trl=4,
                            keywords=["膜电极", "燃料电池"], modes=["joint"],
                            summary="低铂载量催化层与增强型质子交换膜，用于车用燃料电池电堆。"),
        "harmonic": make_posting("result", title="机器人关节用双圆弧修形齿廓谐波减速器", chain_id=robot, trl=7,
                                 keywords=["谐波减速器", "机器人关节"],
                                 summary="双圆弧齿廓修形提高谐波减速器的传动精度和寿命。"),
        "gearbox": make_posting("result", title="电驱动总成减速器啸叫抑制技术", chain_id=robot, trl=5,
                                keywords=["减速器", "降噪"],
                                summary="通过齿轮修形和壳体优化降低电驱动减速器的啸叫噪声。"),
        "seal": make_posting("result", chain_id=fluoro),  # 耐高温氟橡胶密封材料
        "recycle": make_posting("result", title="退役磷酸铁锂电池黑粉选择性提锂技术", chain_id=storage, trl=6,
                                keywords=["电池回收", "提锂"],
                                summary="以选择性浸出工艺从退役磷酸铁锂电池黑粉中回收锂，回收率高。"),
        "fuel_need": make_posting("need", title="重卡燃料电池系统用长寿命膜电极", chain_id=h2,
                                  keywords=["燃料电池", "膜电极"],
                                  problem="重卡燃料电池膜电极寿命不足一万小时，需要长寿命、低衰减的膜电极方案。"),
    }
