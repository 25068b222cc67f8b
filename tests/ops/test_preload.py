"""`make serve` runs gunicorn with --preload: the master loads the match index once, the workers it forks share
those pages, and each worker still catches up with what is published after the fork."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from matchmaker.models import User
from matchmaker.services.postings import review
from tests.conftest import ROOT
from tests.mailbox import free_port

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:  # noqa: S310 - loopback
        return str(answer.read().decode("utf-8"))


def _memory(pid: int) -> tuple[int, int]:
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, kb, *_unit = line.split()
        sizes[name.rstrip(":")] = int(kb)
    return sizes["Rss"], sizes["Pss"]


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_preloaded_workers_share_the_masters_pages_and_see_later_publishes(
        app: Flask, make_posting: Callable[..., Any], make_user: Callable[..., User], tmp_path: Path) -> None:
    make_posting("result", title="耐高温氟橡胶密封材料", summary="采用新型硫化体系制备的耐高温氟橡胶密封材料。")
    later = make_posting("result", status="pending", title="协作机器人力控打磨系统", keywords=["力控打磨"],
                         summary="基于力传感器的协作机器人恒力打磨系统，自动识别铸件毛刺。")
    staff = make_user("staff")
    port = free_port()
    env = {**os.environ, "MATCHMAKER_SQLALCHEMY_DATABASE_URI": str(app.config["SQLALCHEMY_DATABASE_URI"]),
           "MATCHMAKER_SECRET_KEY": "preload-test-only", "MATCHMAKER_INDEX_DIR": str(tmp_path / "index"),
           "MATCHMAKER_MATCH_INDEX_MAX_STALENESS": "0.5", "MATCHMAKER_RATELIMIT_ENABLED": "false"}
    server = subprocess.Popen(  # noqa: S603 - this virtualenv's gunicorn, our own app
        [str(GUNICORN), "--workers", "2", "--threads", "2", "--reuse-port", "--preload",
         "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert "氟橡胶" in _get(port, "/results/?q=" + urllib.parse.quote("氟橡胶"))
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        workers = _workers(server.pid)
        assert len(workers) == 2
        for pid in workers:  # without --preload a worker's own heap makes PSS about 0.9 of RSS
            rss, pss = _memory(pid)
            assert pss < 0.75 * rss, (pid, rss, pss)

        review.publish_posting("result", later.id, staff)
        time.sleep(1.0)  # the staleness bound (0.5 s) and some slack
        query = "/results/?q=" + urllib.parse.quote("力控打磨")
        pages = [_get(port, query) for _ in range(20)]  # new connections: both workers answer some of them
        assert [f'href="/results/{later.id}"' in page for page in pages] == [True] * 20
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)
    assert b"Traceback" not in errors, errors.decode("utf-8", "replace")[-2000:]
