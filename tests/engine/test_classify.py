"""Chain suggestion from the lexicons and from labelled records."""

from __future__ import annotations

from pathlib import Path

from matchmaker.engine import Analyzer, ChainClassifier, Document, load_chains
from matchmaker.engine.classify import suggest_chain
from tests.engine.conftest import DOCS


def _classifier(corpus_dir: Path, analyzer: Analyzer) -> ChainClassifier:
    return ChainClassifier(load_chains(corpus_dir), analyzer)


def test_chains_load_from_dir_or_file(corpus_dir: Path) -> None:
    assert [c.code for c in load_chains(corpus_dir)] == ["fluorosilicon", "robot", "storage", "hydrogen"]
    assert load_chains(corpus_dir / "chains.json") == load_chains(corpus_dir)
    assert load_chains(corpus_dir / "missing") == []


def test_lexicon_suggests_the_right_chain(corpus_dir: Path, analyzer: Analyzer) -> None:
    clf = _classifier(corpus_dir, analyzer)
    assert clf.suggest("寻求电解水制氢和加氢站建设方案")[0][0] == "hydrogen"
    assert clf.suggest("伺服电机与减速器国产化")[0][0] == "robot"
    top = clf.suggest(Document("x", title="有机硅密封胶", text="含氟聚合物改性"), k=2)
    assert top[0][0] == "fluorosilicon" and 0 < top[0][1] <= 1
    assert clf.matched_terms("有机硅和含氟聚合物", "fluorosilicon") == ("含氟聚合物", "有机硅")


def test_no_evidence_no_suggestion(corpus_dir: Path, analyzer: Analyzer) -> None:
    clf = _classifier(corpus_dir, analyzer)
    assert clf.suggest("") == []
    assert clf.suggest("古代诗词的韵律研究") == []
    assert clf.suggest("储能电站", k=0) == []


def test_labelled_records_add_a_model(corpus_dir: Path, analyzer: Analyzer) -> None:
    clf = _classifier(corpus_dir, analyzer).fit(DOCS)
    # No lexicon term here; the model learned 密封件/耐高温 from r6.
    top = suggest_chain(clf, "耐高温耐油密封件配方", k=3)
    assert top[0][0] == "fluorosilicon"
    assert all(0 <= s <= 1 for _, s in top)
    assert [c for c, _ in clf.suggest("电解水制氢")][:1] == ["hydrogen"]


def test_too_few_labels_fall_back_to_lexicon(corpus_dir: Path, analyzer: Analyzer) -> None:
    clf = _classifier(corpus_dir, analyzer).fit(DOCS[:1])
    assert clf.suggest("耐高温耐油密封件配方") == []
