"""Near-duplicate flags for an import: rows that repeat a published posting or an earlier row of the file.

Uses the engine's duplicate finder (the same shingle Jaccard and DUPLICATE_THRESHOLD as matching.duplicates_of)
over the file's rows and the published postings of the kind in one pass, so a 10,000-row file does not cost
10,000 index searches.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.engine import Document, find_duplicates
from matchmaker.extensions import db
from matchmaker.models import Chain
from matchmaker.services.io.rows import RowCheck
from matchmaker.services.matching import index as match_index

KIND_LABEL = {"result": _l("科技成果"), "need": _l("技术需求")}


def _document(kind: str, row: RowCheck, codes: dict[int, str]) -> Document:
    clean = row.clean or {}
    body_keys = ("summary", "innovations", "indicators") if kind == "result" else ("problem", "targets")
    return Document(id=f"row:{row.number}", title=str(clean.get("title", "")),
                    text="\n".join(str(clean[k]) for k in body_keys if clean.get(k)),
                    keywords=tuple(clean.get("keywords") or ()), chain=codes.get(clean.get("chain_id") or 0))


def flag_duplicates(kind: str, checks: list[RowCheck]) -> None:
    """Fill each valid row's `duplicates` (messages), `duplicate_of` and `duplicate_row`."""
    rows = [c for c in checks if c.clean is not None]
    if not rows or not current_app.config.get("MATCH_INDEX_ENABLED", True):
        return
    codes = {c.id: c.code for c in db.session.scalars(select(Chain))}
    with match_index.reading() as state:
        ids = state.index.ids
        ids = ids() if callable(ids) else ids  # a method in older engine versions, a property now
        published = [d for i in ids if i.startswith(kind + ":") and (d := state.index.get(i)) is not None]
    by_number = {c.number: c for c in rows}
    pairs = find_duplicates([_document(kind, c, codes) for c in rows] + published, state.analyzer,
                            threshold=current_app.config["DUPLICATE_THRESHOLD"])
    for pair in sorted(pairs, key=lambda p: -p.similarity):
        first, second = sorted((pair.first, pair.second), key=_order)
        if not second.startswith("row:"):
            continue
        row = by_number[int(second[4:])]
        if first.startswith("row:"):
            row.duplicates.append(str(_l("与文件第 %(n)s 行内容高度相似（%(s).0f%%）。", n=first[4:],
                                         s=pair.similarity * 100)))
            row.duplicate_row = row.duplicate_row or int(first[4:])
        else:
            number = match_index.parse_doc_id(first)[1]
            row.duplicates.append(str(_l("与已发布的%(k)s #%(id)d 内容高度相似（%(s).0f%%）。", k=KIND_LABEL[kind],
                                         id=number, s=pair.similarity * 100)))
            row.duplicate_of = row.duplicate_of or (number, pair.similarity)


def _order(doc_id: str) -> tuple[int, int]:
    """Published postings first, then rows by number: the later one is the duplicate."""
    kind, _sep, number = doc_id.partition(":")
    return (1 if kind == "row" else 0, int(number))
