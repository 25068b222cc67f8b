"""Generated published postings at scale for load tests (`flask seed-scale`): bulk inserts, one transaction.

Texts come from the shared paper corpus when its file exists (read at run time, never stored in the repository),
otherwise from synthetic sentences built from the chains' vocabulary.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, chains, credit_code
from matchmaker.services.fields import KEYWORD_MAX_CHARS
from matchmaker.services.matching import change_log

MARKER = "seed_scale"
PER_ORG = 40
"""Postings per generated organization on average; the first organization of each kind gets a fifth of all."""
_BATCH = 1000
DEFAULT_PAPERS = Path("/work/shared/corpus/papers.jsonl")
"""Where the shared paper corpus lives on the project machines (absent elsewhere: synthetic texts)."""


def _papers(path: Path | None) -> list[tuple[str, str, list[str]]]:
    """(title, abstract, keywords) of the corpus papers, or [] when the file is absent."""
    if path is None or not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            paper = json.loads(line)
            abstract = str(paper.get("abstract") or "")
            if abstract:
                title = str(paper.get("title") or "") or abstract[:28].rstrip("，。,.")
                # only keywords a form would accept, so an edit through the API or a form is not refused for them
                kept = [str(k) for k in paper.get("keywords") or [] if 0 < len(str(k)) <= KEYWORD_MAX_CHARS]
                out.append((title[:190], abstract, kept[:6]))
    return out


def _synthetic(rng: random.Random, vocabulary: list[str]) -> Iterator[tuple[str, str, list[str]]]:
    verbs = ("制备", "检测", "优化", "控制", "回收", "改性", "集成", "仿真")
    while True:
        a, b, c = rng.sample(vocabulary, 3)
        verb = rng.choice(verbs)
        text = (f"针对{a}领域的{b}{verb}难题，提出一种结合{c}的新方法，"
                f"在{a}和{b}的工程应用中降低成本、提高效率，已完成{rng.randint(2, 9)}轮验证。")
        yield f"{a}{b}{verb}技术", text, [a, b]


def _credit_code(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice(credit_code.ALPHABET) for _ in range(9))
    return body + credit_code.check_character(body)


def _organizations(kind: str, count: int, rng: random.Random, start: int) -> list[int]:
    rows = []
    for i in range(count):
        code = _credit_code(rng, rng.choice(("370303", "370302", "370102", "320506")))
        name = f"{'规模测试大学' if kind == 'university' else '规模测试企业'}{start + i:05d}"
        rows.append({"name": name, "kind": kind, "credit_code": code, "region_code": code[2:8]})
    ids = []
    for offset in range(0, len(rows), _BATCH):
        ids += list(db.session.scalars(insert(Organization).returning(Organization.id), rows[offset:offset + _BATCH]))
    return ids


def _owners(org_ids: list[int], role: str, start: int) -> dict[int, int]:
    rows = [{"username": f"scale_{role}_{start + i:05d}", "password_hash": "!", "role": role, "org_id": org,
             "display_name": f"规模测试{start + i}"} for i, org in enumerate(org_ids)]
    ids = list(db.session.scalars(insert(User).returning(User.id), rows))
    return dict(zip(org_ids, ids, strict=True))


def _spread(org_ids: list[int], n: int, rng: random.Random) -> list[int]:
    """The organization of each of n postings: a fifth go to the first one (a large firm), the rest at random."""
    big = n // 5
    return [org_ids[0]] * big + [rng.choice(org_ids) for _ in range(n - big)]


def seed_scale(corpus_dir: str, results: int, needs: int, papers: Path | None = None, seed: int = 7,
               progress: Callable[[str], Any] = lambda _m: None) -> dict[str, int]:
    """Insert `results` published results and `needs` published needs (with their organizations and owners)."""
    chains.load_default_chains(corpus_dir)
    rng = random.Random(seed)
    chain_rows = list(db.session.scalars(select(Chain).order_by(Chain.id)))
    chain_ids = [c.id for c in chain_rows]
    vocabulary = [t for c in chain_rows for t in (c.terms or [])] or ["材料", "设备", "工艺", "检测"]
    texts = _papers(papers)
    progress(f"texts: {'corpus, ' + str(len(texts)) + ' papers' if texts else 'synthetic'}")
    source = iter(texts * (1 + (results + needs) // max(len(texts), 1))) if texts else _synthetic(rng, vocabulary)
    start = (db.session.scalar(select(func.count()).select_from(Organization)) or 0) + 1
    report = {"results": 0, "needs": 0, "organizations": 0}
    for kind, n in (("result", results), ("need", needs)):
        if n <= 0:
            continue
        org_kind, role = ("university", "researcher") if kind == "result" else ("company", "company")
        org_ids = _organizations(org_kind, max(1, n // PER_ORG), rng, start)
        start += len(org_ids)
        owners = _owners(org_ids, role, start)
        report["organizations"] += len(org_ids)
        for offset in range(0, n, _BATCH):
            orgs = _spread(org_ids, min(_BATCH, n - offset), rng)
            rows = [_row(kind, next(source), org, owners[org], rng.choice(chain_ids), rng) for org in orgs]
            db.session.execute(insert(Result if kind == "result" else Need), rows)
            report[kind + "s"] += len(rows)
            progress(f"{kind}s: {report[kind + 's']}/{n}")
    audit.record(None, MARKER, None, entity_type="system", note=json.dumps(report))
    change_log.posting_changed(None)
    db.session.commit()
    return report


def _row(kind: str, text: tuple[str, str, list[str]], org: int, owner: int, chain: int, rng: random.Random
         ) -> dict[str, Any]:
    title, abstract, keywords = text
    now = utcnow()
    common = {"title": title, "keywords": keywords, "modes": rng.sample(["transfer", "license", "joint"], 2),
              "status": "published", "published_at": now, "submitted_at": now, "org_id": org, "owner_id": owner,
              "chain_id": chain, "contact_name": "测试联系人", "created_at": now, "updated_at": now}
    if kind == "result":
        return {**common, "summary": abstract, "trl": rng.randint(3, 9), "stage": "pilot", "ip_type": "invention",
                "price_wan": rng.randint(10, 500)}
    return {**common, "title": f"寻求：{title}"[:200], "problem": abstract, "need_type": "rd",
            "budget_wan": rng.randint(10, 500), "trl_min": rng.randint(3, 7)}
