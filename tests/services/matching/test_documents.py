"""What a posting gives the engine: stated indicators are their own field, not part of the narrative."""
from __future__ import annotations

from flask import Flask

from matchmaker.models import Need, Result
from matchmaker.services.matching.index import document_for


def test_a_needs_target_indicators_are_the_indicators_field(app: Flask) -> None:
    need = Need(id=7, title="氟橡胶密封件", problem="高温下密封件老化开裂", targets="耐温250℃，压缩永久变形≤20%",
                keywords=["氟橡胶"])
    doc = document_for(need)
    assert doc.id == "need:7" and doc.indicators == "耐温250℃，压缩永久变形≤20%"
    assert doc.text == "高温下密封件老化开裂" and "250" not in doc.text


def test_a_results_indicators_are_the_indicators_field(app: Flask) -> None:
    result = Result(id=3, title="质子交换膜", summary="短侧链全氟磺酸膜", innovations="化学稳定性高",
                    indicators="电导率≥0.1 S/cm", keywords=[])
    doc = document_for(result)
    assert doc.indicators == "电导率≥0.1 S/cm"
    assert doc.text == "短侧链全氟磺酸膜\n化学稳定性高"
