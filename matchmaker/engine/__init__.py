"""Pure matching engine: strings, paths and dataclasses in, frozen dataclasses out.

No Flask, SQLAlchemy, WTForms or other ``matchmaker.*`` import; never reads config.
"""

from matchmaker.engine.analyzer import Analyzer
from matchmaker.engine.classify import ChainClassifier, load_chains
from matchmaker.engine.dedupe import find_duplicates, near_duplicates, similarity
from matchmaker.engine.explain import explain, explain_unindexed
from matchmaker.engine.index import Index, build_index
from matchmaker.engine.synonyms import Synonyms
from matchmaker.engine.types import (
    Chain,
    Document,
    DuplicatePair,
    Explanation,
    Hit,
    IndexConfig,
    Span,
)

__all__ = [
    "Analyzer",
    "Chain",
    "ChainClassifier",
    "Document",
    "DuplicatePair",
    "Explanation",
    "Hit",
    "Index",
    "IndexConfig",
    "Span",
    "Synonyms",
    "build_index",
    "explain",
    "explain_unindexed",
    "find_duplicates",
    "load_chains",
    "near_duplicates",
    "similarity",
]
