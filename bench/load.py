"""Loopback load benchmark: the product under gunicorn (the Makefile's `serve` flags) against a minimal app.

One run prepares the product at --postings published postings (`seed-scale` texts, saved index), starts it with
`gunicorn --workers 2 --threads 4`, drives 15 readers (lists, details, search, suggestions, API) and 5 writers
(API create+submit, publish, update) for --duration seconds, then detail pages only; then dashboard and
organization pages one at a time. The same flags, clients and phases run against bench/minimal_app.py (one
indexed SELECT and a small template). Loopback only, bounded in time (--duration) and count (--max-requests).

    .venv/bin/python bench/load.py [--database sqlite|postgresql+psycopg://...] [--duration 60] [--postings 10000]
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only, never anything else
# The Makefile's `serve` flags (--preload: the workers share the index the master loaded, see wsgi.py).
SERVE_FLAGS = ["--workers", "2", "--threads", "4", "--reuse-port", "--preload", "--access-logfile", "-"]
WORDS = ("材料", "控制", "检测", "电池", "机器人", "传感器", "催化", "陶瓷", "模型", "优化", "密封", "氢")


@dataclass
class Stats:
    """Latencies (seconds) and errors of one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    kinds: dict[str, list[float]] = field(default_factory=dict)

    def add(self, seconds: float, ok: bool, what: str) -> None:
        kind = re.sub(r"\d+", "N", what.split(" -> ")[0].split("&")[0])
        with self.lock:
            self.latencies.append(seconds)
            self.kinds.setdefault(re.sub(r"=[^&]*", "=…", kind), []).append(seconds)
            if not ok:
                self.errors += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(what)

    def summary(self, wall: float) -> dict[str, float]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 1) if lat else 0.0

        kinds = {k: round(1000 * sorted(v)[len(v) // 2], 1) for k, v in sorted(self.kinds.items())}
        return {"requests": len(lat), "rps": round(len(lat) / wall, 1), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
                "p99_ms": pct(0.99), "errors": self.errors, "p50_ms_by_request": kinds}


class Client:
    """One keep-alive HTTP connection to the server on loopback."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port, self.headers = port, headers or {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
             ) -> tuple[int, bytes, http.client.HTTPResponse]:
        data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
        hdrs = {**self.headers, **(headers or {})}
        if body is not None and not isinstance(body, bytes):
            hdrs["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                return response.status, response.read(), response
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _run(stats: Stats, client: Client, pick: Callable[[random.Random], tuple[str, str, Any, dict[str, str], int]],
         rng: random.Random, until: float, budget: list[int]) -> None:
    after = getattr(pick, "after", None)
    while time.monotonic() < until:
        with stats.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        method, path, body, headers, expect = pick(rng)
        start = time.perf_counter()
        try:
            status, payload, _r = client.call(method, path, body, headers)
            ok, what = status == expect, f"{method} {path.split('?')[0]} -> {status} {payload[:120]!r}"
            if ok and after is not None:
                after(method, path, payload)
        except (http.client.HTTPException, OSError) as exc:
            ok, what = False, f"{method} {path} -> {exc}"
        stats.add(time.perf_counter() - start, ok, what)


def phase(port: int, readers: int, reader: Any, writers: int, writer: Any, seconds: float, max_requests: int,
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Run readers and writers against the server for `seconds` (at most `max_requests`); their summary."""
    stats, budget = Stats(), [max_requests]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_run, args=(stats, Client(port, headers), reader, random.Random(i), until,
                                                   budget)) for i in range(readers)]
    threads += [threading.Thread(target=_run, args=(stats, Client(port, headers), writer, random.Random(100 + i),
                                                    until, budget)) for i in range(writers)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = stats.summary(time.monotonic() - start)
    out["error_samples"] = stats.error_samples
    return out


def sequential(port: int, paths: list[str], headers: dict[str, str], count: int, warmup: int = 4
               ) -> dict[str, Any]:
    """One client, one request at a time (the page's own latency), after `warmup` requests reported apart."""
    stats, client = Stats(), Client(port, headers)
    client.conn.timeout = 600  # a cold dashboard computes every need's matches once per worker
    cold = []
    for i in range(warmup):
        t0 = time.perf_counter()
        with contextlib.suppress(http.client.HTTPException, OSError):  # reported by its time
            client.call("GET", paths[i % len(paths)])
        cold.append(round(1000 * (time.perf_counter() - t0)))
    client.conn.close()
    client.conn = http.client.HTTPConnection(HOST, port, timeout=120)
    start = time.monotonic()
    for i in range(count):
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        try:
            status, payload, _r = client.call("GET", path)
            ok, what = status == 200, f"GET {path} -> {status} {payload[:80]!r}"
        except (http.client.HTTPException, OSError) as exc:
            ok, what = False, f"GET {path} -> {exc}"
        stats.add(time.perf_counter() - t0, ok, what)
    out = stats.summary(time.monotonic() - start)
    out["error_samples"] = stats.error_samples
    out["warmup_ms"] = cold
    return out


def serve(app: str, port: int, env: dict[str, str], log: Path, preload: bool = True) -> subprocess.Popen[bytes]:
    """gunicorn with the Makefile's flags on loopback (`preload` False: without --preload); returns once it
    answers."""
    flags = [f for f in SERVE_FLAGS if preload or f != "--preload"]
    cmd = [str(BIN / "gunicorn"), *flags, "--bind", f"{HOST}:{port}", "--chdir", str(REPO), app]
    handle = log.open("wb")
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{app} exited; see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/robots.txt")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"{app} did not answer in 600 s")


def workers_of(master: int) -> list[int]:
    """Pids of the gunicorn workers (children of the master), read from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                out.append(int(entry.name))
    return out


def memory(master: int) -> dict[str, Any]:
    """Resident (RSS) and proportional (PSS: shared pages split between their sharers) MB of the master and each
    worker; the node's total PSS is what the processes cost together."""
    def rollup(pid: int) -> dict[str, int]:
        sizes = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, kb, *_unit = line.split()
            sizes[name.rstrip(":")] = int(kb) // 1024
        return {"rss_mb": sizes["Rss"], "pss_mb": sizes["Pss"]}

    master_mem = rollup(master)
    workers = [rollup(pid) for pid in sorted(workers_of(master))]
    total = master_mem["pss_mb"] + sum(w["pss_mb"] for w in workers)
    return {"master": master_mem, "workers": workers, "node_pss_mb": total}


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def prepare_product(url: str, work: Path, postings: int) -> dict[str, Any]:
    """Migrate and seed the product's database once (reused while url and size match); ids and credentials."""
    marker = work / "product.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("url") == url and info.get("postings") == postings:
            _upgrade(url, work)  # a database prepared before the newest migration
            return info
    os.environ.update(product_env(url, work))
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import Need, Organization, Result
    from matchmaker.services import accounts
    from matchmaker.services.demo import scale
    from matchmaker.services.matching import index as match_index

    app = create_app()
    with app.app_context():
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.drop_all()
        upgrade()
        scale.seed_scale(app.config["CORPUS_DIR"], postings // 2, postings - postings // 2, scale.DEFAULT_PAPERS)
        big_result_org = db.session.scalar(select(Result.org_id).order_by(Result.id))
        big_need_org = db.session.scalar(select(Need.org_id).order_by(Need.id))
        staff = accounts.create_user({"username": "bench_staff", "password": "Bench-Staff-2026!", "role": "staff"})
        researcher = accounts.create_user({"username": "bench_researcher", "password": "Bench-Research-2026!",
                                           "role": "researcher", "org_id": big_result_org})
        info = {
            "url": url, "postings": postings, "staff_password": "Bench-Staff-2026!",
            "staff_token": accounts.create_api_token(staff, "bench")[1],
            "researcher_token": accounts.create_api_token(researcher, "bench")[1],
            "results": list(db.session.scalars(select(Result.id).order_by(Result.id).limit(2000))),
            "needs": list(db.session.scalars(select(Need.id).order_by(Need.id).limit(2000))),
            "orgs": [big_result_org, big_need_org],
            "small_orgs": list(db.session.scalars(select(Organization.id).order_by(Organization.id.desc()).limit(5))),
        }
        match_index.rebuild()
        db.session.remove()
        db.engine.dispose()
    marker.write_text(json.dumps(info))
    return info


def _upgrade(url: str, work: Path) -> None:
    os.environ.update(product_env(url, work))
    from flask_migrate import upgrade

    from matchmaker import create_app
    from matchmaker.extensions import db

    app = create_app()
    with app.app_context():
        upgrade()
        db.engine.dispose()


def product_env(url: str, work: Path) -> dict[str, str]:
    return {"MATCHMAKER_SQLALCHEMY_DATABASE_URI": url, "MATCHMAKER_INDEX_DIR": str(work / "index"),
            "MATCHMAKER_SECRET_KEY": "bench-only"}


def prepare_minimal(url: str, rows: int) -> None:
    from sqlalchemy import insert

    from bench import minimal_app

    app = minimal_app.create_app(url)
    with app.app_context():
        # A fresh table, so the ids are 1..rows again (on PostgreSQL a DELETE keeps the sequence going and a
        # second run's detail requests all answered 404).
        minimal_app.db.drop_all()
        minimal_app.db.create_all()
        minimal_app.db.session.execute(insert(minimal_app.Item), [{"title": f"条目{i}", "body": "正文" * 50}
                                                                 for i in range(rows)])
        minimal_app.db.session.commit()
        minimal_app.db.engine.dispose()


def login(port: int, password: str) -> str:
    """A staff session cookie through the real login form (CSRF token included)."""
    client = Client(port)
    _s, page, response = client.call("GET", "/auth/login")
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode({"csrf_token": token.group(1).decode(), "username": "bench_staff",
                                   "password": password}).encode()
    status, _p, response = client.call("POST", "/auth/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status in (302, 303), status
    return (response.getheader("Set-Cookie") or "").split(";")[0]


def _pages(report: dict[str, Any], port: int, info: dict[str, Any], count: int) -> None:
    """Dashboard (as staff, through the login form) and organization pages, one request at a time."""
    cookie = {"Cookie": login(port, info["staff_password"])}
    report["dashboard"] = sequential(port, ["/dashboard/"], cookie, count)
    report["org_page_big"] = sequential(port, [f"/orgs/{o}" for o in info["orgs"]], {}, count)
    report["org_page_small"] = sequential(port, [f"/orgs/{o}" for o in info["small_orgs"]], {}, count)


def product_mix(info: dict[str, Any]) -> tuple[Any, Any, Any]:
    results, needs = info["results"], info["needs"]
    research = {"Authorization": f"Bearer {info['researcher_token']}"}
    staff = {"Authorization": f"Bearer {info['staff_token']}"}
    q = urllib.parse.quote

    def reader(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        word = q(rng.choice(WORDS))
        return rng.choice([
            ("GET", f"/results/?page={rng.randint(1, 50)}", None, {}, 200),
            ("GET", f"/needs/?page={rng.randint(1, 50)}", None, {}, 200),
            ("GET", f"/results/{rng.choice(results)}", None, {}, 200),
            ("GET", f"/needs/{rng.choice(needs)}", None, {}, 200),
            ("GET", f"/results/?q={word}", None, {}, 200),
            ("GET", f"/api/v1/match?q={word}&kind=result", None, {}, 200),
            ("GET", f"/api/v1/needs/{rng.choice(needs)}/matches", None, {}, 200),
            ("GET", f"/api/v1/results?page={rng.randint(1, 50)}", None, {}, 200),
        ])

    created: list[int] = []
    lock = threading.Lock()

    def writer(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        step = rng.random()
        with lock:
            pending = created.pop() if created and step < 0.3 else None
        if pending is not None:
            return "POST", f"/api/v1/results/{pending}/publish", None, staff, 200
        if step < 0.6:
            body = {"title": f"负载测试更新成果{rng.randint(1, 10**6)}", "contact_phone": "13812345678"}
            return "PATCH", f"/api/v1/results/{rng.choice(results)}", body, staff, 200
        return "POST", "/api/v1/results", _new_result(rng), research, 201

    def after(method: str, path: str, payload: bytes) -> None:
        if method == "POST" and path == "/api/v1/results":  # created and submitted: publish it later
            with lock:
                created.append(json.loads(payload)["id"])

    writer.after = after  # type: ignore[attr-defined]

    def detail(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        if rng.random() < 0.5:
            return "GET", f"/results/{rng.choice(results)}", None, {}, 200
        return "GET", f"/needs/{rng.choice(needs)}", None, {}, 200

    return reader, writer, detail


def _new_result(rng: random.Random) -> dict[str, Any]:
    word = rng.choice(WORDS)
    return {"title": f"负载测试新成果{word}{rng.randint(1, 10**6)}", "chain_id": 1, "keywords": [word],
            "summary": f"一种用于{word}的负载测试成果，检验写入时的检索与建议。", "trl": 5, "stage": "pilot",
            "ip_type": "invention", "modes": ["license"], "price_wan": "50", "contact_name": "测试",
            "contact_phone": "13812345678", "contact_email": "bench@example.edu.cn", "submit": True}


def minimal_mix(rows: int) -> tuple[Any, Any, Any]:
    def detail(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        return "GET", f"/items/{rng.randint(1, rows)}", None, {}, 200

    def reader(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        if rng.random() < 0.5:
            return detail(rng)
        return "GET", f"/items/?page={rng.randint(1, 50)}", None, {}, 200

    def writer(rng: random.Random) -> tuple[str, str, Any, dict[str, str], int]:
        if rng.random() < 0.5:
            return "PATCH", f"/items/{rng.randint(1, rows)}", {"title": f"更新{rng.randint(1, 10**6)}"}, {}, 200
        return "POST", "/items/", {"title": f"新条目{rng.randint(1, 10**6)}"}, {}, 201

    return reader, writer, detail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="sqlite (files in --work) or a PostgreSQL URL")
    parser.add_argument("--work", type=Path, default=Path("/tmp/matchmaker-load"))  # noqa: S108 - a bench scratch folder
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of mixed load per app (max 600)")
    parser.add_argument("--detail-duration", type=float, default=20.0)
    parser.add_argument("--readers", type=int, default=15)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--pages", type=int, default=40, help="sequential dashboard and organization requests")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--port", type=int, default=5610)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-preload", action="store_true", help="each worker loads its own index (before 2026-12-04)")
    args = parser.parse_args()
    duration, detail_duration = min(args.duration, 600.0), min(args.detail_duration, 600.0)
    readers, writers = min(args.readers, 64), min(args.writers, 64)
    args.work.mkdir(parents=True, exist_ok=True)
    sqlite = args.database == "sqlite"
    url = f"sqlite:///{args.work / 'product.sqlite'}" if sqlite else args.database
    minimal_url = f"sqlite:///{args.work / 'minimal.sqlite'}" if sqlite else args.database
    report: dict[str, Any] = {"database": "sqlite" if sqlite else "postgresql", "postings": args.postings,
                              "duration_s": duration, "readers": readers, "writers": writers,
                              "preload": not args.no_preload}

    info = prepare_product(url, args.work, args.postings)
    proc = serve("wsgi:app", args.port, product_env(url, args.work), args.work / "product.log",
                 preload=not args.no_preload)
    try:
        reader, writer, detail = product_mix(info)
        report["product_mixed"] = phase(args.port, readers, reader, writers, writer, duration, args.max_requests)
        report["product_memory"] = memory(proc.pid)
        report["product_detail"] = phase(args.port, readers + writers, detail, 0, None, detail_duration,
                                         args.max_requests)
        if args.pages <= 0:
            report.update({k: Stats().summary(1.0) | {"error_samples": [], "warmup_ms": []}
                           for k in ("dashboard", "org_page_big", "org_page_small")})
        else:
            _pages(report, args.port, info, args.pages)
    finally:
        stop(proc)
    rows = 10_000
    prepare_minimal(minimal_url, rows)
    proc = serve("bench.minimal_app:app", args.port + 1, {"BENCH_DATABASE_URL": minimal_url},
                 args.work / "minimal.log", preload=not args.no_preload)
    try:
        m_reader, m_writer, m_detail = minimal_mix(rows)
        report["minimal_mixed"] = phase(args.port + 1, readers, m_reader, writers, m_writer, duration,
                                        args.max_requests)
        report["minimal_memory"] = memory(proc.pid)
        report["minimal_detail"] = phase(args.port + 1, readers + writers, m_detail, 0, None, detail_duration,
                                         args.max_requests)
    finally:
        stop(proc)
    pm, mm, pd, md = (report[k] for k in ("product_mixed", "minimal_mixed", "product_detail", "minimal_detail"))
    report["ratios"] = {"mixed_throughput": round(pm["rps"] / max(mm["rps"], 1e-9), 3),
                        "mixed_p95": round(pm["p95_ms"] / max(mm["p95_ms"], 1e-9), 2),
                        "detail_throughput": round(pd["rps"] / max(md["rps"], 1e-9), 3)}
    print(table(report))
    out = args.out or REPO / "bench" / "results" / f"load-{report['database']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))


def table(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    lines = [f"### {report['database']}, {report['postings']} published postings, {report['readers']} readers + "
             f"{report['writers']} writers, {report['duration_s']:.0f} s", "",
             "| phase | requests | req/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---|---|---|---|---|---|"]
    for key in ("product_mixed", "minimal_mixed", "product_detail", "minimal_detail", "dashboard", "org_page_big",
                "org_page_small"):
        r = report[key]
        lines.append(f"| {key} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                     f"{r['errors']} |")
    ratios = report["ratios"]
    lines += ["", f"mixed throughput ratio {ratios['mixed_throughput']:.1%} (goal >= 25 %), mixed p95 ratio "
              f"{ratios['mixed_p95']}x (goal <= 5x), detail throughput ratio {ratios['detail_throughput']:.1%} "
              "(goal >= 50 %)"]
    for key in ("product_memory", "minimal_memory"):
        mem = report[key]
        each = ", ".join(f"{w['rss_mb']} / {w['pss_mb']}" for w in mem["workers"])
        lines.append(f"{key} after the mixed load: node PSS {mem['node_pss_mb']} MB; master RSS / PSS "
                     f"{mem['master']['rss_mb']} / {mem['master']['pss_mb']} MB; workers RSS / PSS {each} MB")
    for key in ("dashboard", "org_page_big", "org_page_small"):
        lines.append(f"{key}: first requests (warm-up, not in the table) {report[key]['warmup_ms']} ms")
    for key in ("product_mixed", "product_detail", "dashboard", "org_page_big"):
        if report[key]["error_samples"]:
            lines.append(f"{key} errors, e.g.: {report[key]['error_samples'][:3]}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
