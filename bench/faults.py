"""Fault rounds: `kill -9` on a gunicorn worker of the product while API writers create, publish and update.

The product runs as bench/load.py runs it (the Makefile's `serve` flags, loopback only, data from `seed-scale`).
Writer threads create+submit results (as a researcher), publish them and update published ones (as staff) through
the API; every --interval seconds one worker, chosen at random, gets SIGKILL (gunicorn starts another), --rounds
times. Then the server stops and the database is read back:

- acknowledged writes lost: a create answered 201 whose row is missing (or has another title), a publish answered
  200 whose row is not published, an update answered 200 whose title is neither the acknowledged one nor one sent
  after it (a later request that died with its worker may have been applied without an answer, that is allowed);
- server errors: any 5xx answer (a request cut by the kill is a dropped connection, reported apart: the client
  was never told it was done, so it is not an acknowledged write).

    .venv/bin/python bench/faults.py [--database sqlite|postgresql+psycopg://...] [--rounds 20] [--postings 2000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import load  # noqa: E402 - after the path set-up


@dataclass
class Ledger:
    """What the server acknowledged, per writer thread (each writer touches only the rows it created)."""

    created: dict[int, str] = field(default_factory=dict)
    published: set[int] = field(default_factory=set)
    titles: dict[int, list[tuple[str, bool]]] = field(default_factory=dict)
    """Row -> every title sent, in order, with whether it was acknowledged."""
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    dropped: int = 0
    other: list[str] = field(default_factory=list)


def writer(port: int, info: dict[str, Any], ledger: Ledger, rng: random.Random, stop_at: list[float]) -> None:
    research = {"Authorization": f"Bearer {info['researcher_token']}"}
    staff = {"Authorization": f"Bearer {info['staff_token']}"}
    conn = [http.client.HTTPConnection(load.HOST, port, timeout=60)]

    def call(method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes] | None:
        """One attempt, never retried (load.Client retries once, which would hide a request cut by a kill and
        could send a create twice)."""
        ledger.requests += 1
        data = json.dumps(body).encode() if body is not None else None
        hdrs = {**headers, **({"Content-Type": "application/json"} if data is not None else {})}
        try:
            conn[0].request(method, path, body=data, headers=hdrs)
            response = conn[0].getresponse()
            status, payload = response.status, response.read()
        except (http.client.HTTPException, OSError):
            ledger.dropped += 1
            conn[0].close()
            conn[0] = http.client.HTTPConnection(load.HOST, port, timeout=60)
            return None
        if status >= 500:
            ledger.server_errors.append(f"{method} {path} -> {status} {payload[:160]!r}")
        elif status >= 400:
            ledger.other.append(f"{method} {path} -> {status} {payload[:160]!r}")
        return status, payload

    unpublished: list[int] = []
    while time.monotonic() < stop_at[0]:
        step = rng.random()
        if unpublished and step < 0.35:
            pid = unpublished.pop()
            answer = call("POST", f"/api/v1/results/{pid}/publish", None, staff)
            if answer is None:
                continue
            if answer[0] == 200:
                ledger.published.add(pid)
        elif ledger.published and step < 0.7:
            pid = rng.choice(sorted(ledger.published))
            title = f"故障轮次更新{rng.randint(1, 10**9)}"
            sent = ledger.titles.setdefault(pid, [])
            sent.append((title, False))
            answer = call("PATCH", f"/api/v1/results/{pid}", {"title": title}, staff)
            if answer is not None and answer[0] == 200:
                sent[-1] = (title, True)
        else:
            body = load._new_result(rng)
            answer = call("POST", "/api/v1/results", body, research)
            if answer is not None and answer[0] == 201:
                pid = int(json.loads(answer[1])["id"])
                ledger.created[pid] = body["title"]
                ledger.titles[pid] = [(body["title"], True)]
                unpublished.append(pid)


def check(url: str, work: Path, ledgers: list[Ledger]) -> list[str]:
    """Acknowledged writes the database does not hold."""
    os.environ.update(load.product_env(url, work))
    from sqlalchemy import select

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Result

    lost: list[str] = []
    app = create_app()
    with app.app_context():
        for ledger in ledgers:
            ids = set(ledger.created) | ledger.published | set(ledger.titles)
            rows = {r.id: r for r in db.session.scalars(select(Result).where(Result.id.in_(ids)))} if ids else {}
            for pid in ledger.created:
                if pid not in rows:
                    lost.append(f"result {pid} created (201) but missing")
            for pid in ledger.published:
                if pid in rows and rows[pid].status != "published":
                    lost.append(f"result {pid} published (200) but {rows[pid].status}")
            for pid, sent in ledger.titles.items():
                acked = max((i for i, (_t, ok) in enumerate(sent) if ok), default=None)
                if acked is None or pid not in rows:
                    continue
                allowed = {t for t, _ok in sent[acked:]}
                if rows[pid].title not in allowed:
                    lost.append(f"result {pid}: title {rows[pid].title!r}, acknowledged {sent[acked][0]!r}")
        db.session.remove()
        db.engine.dispose()
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (files in --work) or a PostgreSQL URL")
    parser.add_argument("--work", type=Path, default=Path("/tmp/matchmaker-faults"))  # noqa: S108 - bench scratch
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between kills")
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--port", type=int, default=5640)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    rounds, writers = min(args.rounds, 200), min(args.writers, 32)
    args.work.mkdir(parents=True, exist_ok=True)
    sqlite = args.database == "sqlite"
    url = f"sqlite:///{args.work / 'product.sqlite'}" if sqlite else args.database
    info = load.prepare_product(url, args.work, args.postings)
    proc = load.serve("wsgi:app", args.port, load.product_env(url, args.work), args.work / "product.log")
    ledgers = [Ledger() for _ in range(writers)]
    stop_at = [time.monotonic() + 3600]  # the kill rounds bring it forward
    threads = [threading.Thread(target=writer, args=(args.port, info, ledgers[i], random.Random(500 + i), stop_at))
               for i in range(writers)]
    kills: list[int] = []
    try:
        for t in threads:
            t.start()
        time.sleep(args.interval)
        rng = random.Random(9)
        for _ in range(rounds):
            pids = load.workers_of(proc.pid)
            if pids:
                victim = rng.choice(pids)
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)
            time.sleep(args.interval)
        stop_at[0] = time.monotonic() + args.interval  # writes go on a moment after the last kill
        writer_deadline = time.monotonic() + 120
        for t in threads:
            t.join(max(1.0, writer_deadline - time.monotonic()))
    finally:
        stop_at[0] = 0.0
        load.stop(proc)
    lost = check(url, args.work, ledgers)
    report = {
        "database": "sqlite" if sqlite else "postgresql", "postings": args.postings, "rounds": len(kills),
        "writes_sent": sum(x.requests for x in ledgers),
        "acknowledged_creates": sum(len(x.created) for x in ledgers),
        "acknowledged_publishes": sum(len(x.published) for x in ledgers),
        "acknowledged_updates": sum(sum(ok for _t, ok in s) for x in ledgers for s in x.titles.values())
        - sum(len(x.created) for x in ledgers),
        "dropped_connections": sum(x.dropped for x in ledgers),
        "server_errors": sum(len(x.server_errors) for x in ledgers),
        "acknowledged_writes_lost": len(lost),
        "client_errors": sum(len(x.other) for x in ledgers),
        "samples": {"server_errors": [e for x in ledgers for e in x.server_errors][:5], "lost": lost[:5],
                    "client_errors": [e for x in ledgers for e in x.other][:5]},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    out = args.out or REPO / "bench" / "results" / f"faults-{report['database']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
