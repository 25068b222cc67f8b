"""The 三十三百 dashboard's cost on a seeded database: SQL statements, engine searches, cold and repeat latency.

Run against a database made by `flask db upgrade && flask seed-scale --results N --needs N` (the environment's
MATCHMAKER_* settings pick it). It signs in a staff account (`bench_dash_staff`, made once), then:

- `--dump FILE`: writes the dashboard's payload (figures, burn-up, per-chain rows, funnel, gap list) as JSON, to
  compare before and after a change of the code on the same database;
- `--profile`: one repeat service call under cProfile (top functions by cumulative time);
- times `--requests` GET /dashboard/ through the Flask test client: the first in a fresh process (cold: every
  need searched) and the repeats, then the same after one published posting changes (`--touch`).

    MATCHMAKER_SQLALCHEMY_DATABASE_URI=sqlite:////tmp/d.sqlite MATCHMAKER_INDEX_DIR=/tmp/d-index \\
    MATCHMAKER_SECRET_KEY=x .venv/bin/python bench/dashboard.py --requests 30 --dump /tmp/before.json
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _org_name(need: Any) -> str:
    return str(need.org_name if hasattr(need, "org_name") else need.org.name)  # before issue 11: a Need row


def payload(board: Any) -> dict[str, Any]:
    """Everything the page shows, as plain JSON (Need rows by id, scores rounded to the engine's float32)."""
    from matchmaker.web.dashboard import charts

    return {
        "progress": {m: {k: getattr(p, k) for k in ("target", "actual", "pace", "forecast", "status", "behind_by",
                                                     "cumulative", "pace_line", "forecast_line")}
                     for m, p in board.progress.items()},
        "chain_names": {str(k): v for k, v in board.chain_names.items()},
        "by_chain": {m: {str(k): n for k, n in sorted(c.items(), key=lambda kv: str(kv[0]))}
                     for m, c in board.by_chain.items()},
        "funnel": {"total": list(board.funnel.total.values),
                   "by_chain": [[r.key, r.label, list(r.values)] for r in board.funnel.by_chain],
                   "by_event": [[r.key, r.label, list(r.values)] for r in board.funnel.by_event]},
        # since the gap preview: each chain's count and first needs (before it, every gap need)
        "gaps": [[g.chain_id, g.name, getattr(g, "total", len(g.needs)),
                  [[n.id, n.title, _org_name(n), round(s, 6)] for n, s in g.needs]] for g in board.gaps],
        "stale": [i.id for i in board.stale],
        "chart": json.loads(json.dumps(charts.chart_payload(board), default=str)),
    }


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(values), "p50": round(1000 * statistics.median(ordered), 1), "p95": round(1000 * p95, 1),
            "max": round(1000 * ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--each", action="store_true", help="print every request's time")
    parser.add_argument("--touch", action="store_true", help="then re-publish one need and time again")
    args = parser.parse_args()

    from sqlalchemy import event, select

    from matchmaker import create_app
    from matchmaker.engine import Index
    from matchmaker.extensions import db
    from matchmaker.models import Need, User
    from matchmaker.services import accounts
    from matchmaker.services.goals import progress
    from matchmaker.services.signin import sessions

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.username == "bench_dash_staff"))
        if staff is None:
            staff = accounts.create_user({"username": "bench_dash_staff", "password": "Bench-Dash-2026!",
                                          "role": "staff"})
        staff_id = staff.id
        counts = {"statements": 0, "searches": 0}
        original = Index.search

        def counted(self: Index, *a: Any, **kw: Any) -> Any:
            counts["searches"] += 1
            return original(self, *a, **kw)

        Index.search = counted  # type: ignore[method-assign]
        event.listen(db.engine, "before_cursor_execute", lambda *_a: counts.__setitem__(
            "statements", counts["statements"] + 1))

        def service_call(label: str) -> Any:
            counts.update(statements=0, searches=0)
            t0 = time.perf_counter()
            board = progress.dashboard_for(progress.fields.today().year, db.session.get(User, staff_id))
            print(f"{label}: {1000 * (time.perf_counter() - t0):.1f} ms, {counts['statements']} statements, "
                  f"{counts['searches']} searches")
            return board

        board = service_call("service, first")
        service_call("service, repeat")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            service_call("service, repeat (profiled)")
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        if args.dump:
            args.dump.write_text(json.dumps(payload(board), ensure_ascii=False, indent=1, sort_keys=True))
            print(f"payload written to {args.dump}")
        db.session.remove()

    client = app.test_client()
    with app.app_context():
        sid = sessions.start(db.session.get(User, staff_id))
        db.session.commit()
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"], s["sid"] = str(staff_id), True, sid

    def timed(n: int) -> list[float]:
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            response = client.get("/dashboard/")
            out.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
        return out

    times = timed(args.requests)
    report = {"requests": _ms(times)}
    if args.each:
        print("each request, ms:", " ".join(f"{1000 * t:.0f}" for t in times))
    if args.touch:
        from matchmaker.services.matching import change_log

        with app.app_context():
            need = db.session.scalar(select(Need).where(Need.status == "published").order_by(Need.id))
            need.title = need.title + " "  # a real edit of a published need: the index applies it
            change_log.posting_changed(need)
            db.session.commit()
        report["after_change_first"] = _ms(timed(1))
        report["after_change_repeat"] = _ms(timed(args.requests))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
