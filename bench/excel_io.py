"""Time a 10,000-row Excel export and import (preview + commit) of results on a scratch SQLite database.

Run: .venv/bin/python bench/excel_io.py [--rows 10000] [--keep]

--keep imports the file back into the database that still holds the exported rows: every row is checked against
all of them and is a near-duplicate of its original (the issue's case of an import into 10k+ postings).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, func, select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import Organization, Result, User
from matchmaker.services import chains
from matchmaker.services.accounts import hash_password
from matchmaker.services.io import exports, imports
from matchmaker.services.matching import change_log

REPO = Path(__file__).resolve().parents[1]
PAPERS = REPO.parent / "shared" / "corpus" / "papers.jsonl"
WORDS = ["氟橡胶", "密封件", "光伏", "胶膜", "锂电池", "正极", "回收", "陶瓷", "膜分离", "催化剂", "传感器", "物联网",
         "温室", "节水", "发动机", "涂层", "耐腐蚀", "纳米", "石墨烯", "复合材料", "焊接", "机器人", "视觉", "检测"]


def _texts(rows: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """Real titles and abstracts from ../shared/corpus/papers.jsonl when present (read at run time), else made up."""
    out: list[tuple[str, str, list[str]]] = []
    if PAPERS.exists():
        with PAPERS.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if len(rec.get("title", "")) >= 4 and len(rec.get("abstract", "")) >= 20:
                    out.append((rec["title"], rec["abstract"], [k[:30] for k in rec.get("keywords", [])][:10]))
                if len(out) == rows:
                    return out
    while len(out) < rows:
        words = rng.sample(WORDS, 8)
        out.append((f"{words[0]}{words[1]}技术{len(out)}", "，".join(words) + f"。编号{len(out)}的成果。", words[:3]))
    return out


def _setup(folder: Path, rows: int) -> tuple[object, int]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "SECRET_KEY": "bench",
                      "CORPUS_DIR": str(REPO / "corpus")}, instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        chains.load_default_chains(app.config["CORPUS_DIR"])
        chain_ids = [c.id for c in chains.list_chains()]
        org = Organization(name="山东理工大学", kind="university", credit_code="12100000400000624D",
                           region_code="100000")
        staff = User(username="bench", role="staff", password_hash=hash_password("x" * 12), display_name="bench")
        db.session.add_all([org, staff])
        db.session.flush()
        rng = random.Random(7)
        for title, summary, keywords in _texts(rows, rng):
            db.session.add(Result(
                title=title[:190], chain_id=rng.choice(chain_ids), org_id=org.id, owner_id=staff.id,
                keywords=keywords, summary=summary[:4900], trl=rng.randint(1, 9), stage="pilot",
                ip_type="invention", modes=["transfer", "license"], contact_phone="13812345678", status="published"))
        db.session.commit()
        return app, staff.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="import into the database that holds the rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, staff_id = _setup(Path(tmp), args.rows)
        with app.app_context():  # type: ignore[attr-defined]
            staff = db.session.get(User, staff_id)
            t0 = time.perf_counter()
            data = exports.export_list("results", staff)
            t1 = time.perf_counter()
            print(f"export   {args.rows} results: {t1 - t0:6.2f} s  ({len(data) / 1e6:.1f} MB)")
            if not args.keep:
                db.session.execute(delete(Result))
                change_log.posting_changed(None)
                db.session.commit()
            t2 = time.perf_counter()
            preview = imports.preview_import("result", "bench.xlsx", data, staff)
            t3 = time.perf_counter()
            print(f"preview  {len(preview.rows)} rows: {t3 - t2:6.2f} s  (valid {len(preview.valid)}, "
                  f"problems {len(preview.problem_rows)}, near-duplicates {len(preview.duplicate_rows)})")
            report = imports.confirm_import(preview.token, staff, skip_duplicates=False)
            t4 = time.perf_counter()
            print(f"commit   {report.created} rows: {t4 - t3:6.2f} s  "
                  "(the preview's checks reused; insert + audit, one transaction)")
            print(f"results in database: {db.session.scalar(select(func.count()).select_from(Result))}; "
                  f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
