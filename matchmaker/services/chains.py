"""Industrial chains: loading the defaults from corpus/ and staff edits."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, User
from matchmaker.services import audit, fields
from matchmaker.services.errors import FieldErrors
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.permissions import require_staff


def list_chains() -> list[Chain]:
    return list(db.session.scalars(select(Chain).order_by(Chain.sort_order, Chain.id)))


def get_chain(chain_id: int) -> Chain:
    return get_or_not_found(Chain, chain_id, _l("找不到该产业链。"))


def load_default_chains(corpus_dir: str) -> int:
    """Insert the chains from corpus/chains.json that are not there yet; returns how many were added."""
    added = 0
    existing = {c.code for c in list_chains()}
    for order, item in enumerate(json.loads((Path(corpus_dir) / "chains.json").read_text(encoding="utf-8"))):
        if item["code"] in existing:
            continue
        chain = Chain(code=item["code"], name=item["name"], description=item.get("description", ""),
                      terms=list(item["terms"]), sort_order=order)
        db.session.add(chain)
        audit.record(None, "create", chain, note="default chain")
        added += 1
    db.session.commit()
    return added


def update_chain(chain_id: int, data: dict[str, Any], actor: User | None) -> Chain:
    """Staff edit a chain's name, description and vocabulary."""
    user = require_staff(actor)
    chain = get_chain(chain_id)
    errors = FieldErrors()
    clean = {
        "name": fields.text(errors, data, "name", required=True, min_len=2, max_len=50),
        "description": fields.text(errors, data, "description", max_len=1000),
        "terms": _terms(errors, data),
    }
    if "synonyms" in data:
        clean["synonyms"] = parse_synonyms(errors, data.get("synonyms"))
    other = db.session.scalar(select(Chain).where(Chain.name == clean["name"], Chain.id != chain.id))
    if other is not None:
        errors.add("name", _l("已存在同名产业链。"))
    errors.raise_if_any()
    changes = audit.apply_changes(chain, clean)
    if changes:
        audit.record(user, "update", chain, changes)
        from matchmaker.services.matching import change_log

        if "terms" in changes:
            change_log.posting_changed(chain)  # the vocabulary feeds the analyzer: every worker rebuilds
        elif "synonyms" in changes:
            change_log.lexicon_changed(chain)  # query expansion only
    db.session.commit()
    return chain


SYNONYM_SEPARATORS = ("=", "＝", "→")
MAX_SYNONYM_LINES = 500


def _synonym_line(line: str) -> tuple[str, list[str]] | None:
    """("firm word", [terms]) of one editor line, or None when it is not "word = term、term" (30 chars each)."""
    sep = next((s for s in SYNONYM_SEPARATORS if s in line), None)
    if sep is None:
        return None
    word, _sep, rest = line.partition(sep)
    word = word.strip()
    terms = [t for t in fields.split_list(rest) if t != word]
    if not word or not terms or max(len(word), *map(len, terms)) > 30:
        return None
    return word, terms


def parse_synonyms(errors: FieldErrors, raw: Any) -> dict[str, list[str]]:
    """Lines "firm word = term、term" (also ＝ or →; terms split at 、，, ;) into {firm word: [terms]}."""
    if isinstance(raw, dict):
        lines = [f"{w} = {'、'.join(ts)}" for w, ts in raw.items()]
    else:
        lines = [line.strip() for line in str(raw or "").splitlines() if line.strip()]
    table: dict[str, list[str]] = {}
    bad: list[int] = []
    for number, line in enumerate(lines, start=1):
        parsed = _synonym_line(line)
        if parsed is None:
            bad.append(number)
            continue
        word, terms = parsed
        table[word] = list(dict.fromkeys(table.get(word, []) + terms))
    if bad:
        errors.add("synonyms", _l("第 %(lines)s 行格式不对：每行写“企业用词 = 技术术语、技术术语”，"
                                  "每个词不超过 30 个字。", lines="、".join(map(str, bad[:10]))))
    if len(table) > MAX_SYNONYM_LINES:
        errors.add("synonyms", _l("同义词最多 %(n)d 行。", n=MAX_SYNONYM_LINES))
    return table


def synonyms_text(table: dict[str, list[str]]) -> str:
    """The editor's text of a synonym table (the inverse of parse_synonyms)."""
    return "\n".join(f"{word} = {'、'.join(terms)}" for word, terms in table.items())


def _terms(errors: FieldErrors, data: dict[str, Any]) -> list[str]:
    raw = data.get("terms") or []
    terms = fields.split_list(raw) if isinstance(raw, str) else [str(t).strip() for t in raw]
    terms = list(dict.fromkeys(t for t in terms if t))
    if not terms:
        errors.add("terms", _l("请至少填写一个领域词。"))
    if any(len(t) > 30 for t in terms):
        errors.add("terms", _l("每个领域词不超过 30 个字。"))
    if len(terms) > 2000:
        errors.add("terms", _l("领域词最多 2000 个。"))
    return terms
