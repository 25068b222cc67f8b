"""Background work in a web process gives way to the requests that process serves.

The embedded job backend ("thread") runs a job in a thread of the web worker. A CPU-bound job shares the GIL
with the worker's request threads, and measured at 10,000 postings a full match-figure refresh beside the
dashboard doubled its p95. So long loops call `give_way()` between small steps: once the job thread has used
BURST seconds of CPU it waits while any request of this process is in flight, at most MAX_WAIT each time, so it
always moves on. A process that serves no requests (an RQ worker, the CLI) never waits.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

BURST = 0.02
"""CPU seconds a job runs between looks at the requests in flight."""
MAX_WAIT = 0.2
"""Longest a job waits for the requests in flight before its next burst (bounds how long it can be starved)."""

_in_flight = 0
_changed = threading.Condition()
_local = threading.local()
"""Per thread: `began` (thread CPU time of the burst's start) and `serving` (inside a request of its own)."""


def request_started() -> None:
    global _in_flight
    with _changed:
        _in_flight += 1
    _local.serving = True


def request_finished() -> None:
    global _in_flight
    _local.serving = False
    with _changed:
        _in_flight = max(_in_flight - 1, 0)
        _changed.notify_all()


def requests_in_flight() -> int:
    return _in_flight


def give_way() -> None:
    """Called by a job between steps: after each BURST of its CPU, wait (≤ MAX_WAIT) until no other request of
    this process is in flight (a job run inline by a request does not wait for that request)."""
    now = time.thread_time()
    began = getattr(_local, "began", None)
    if began is None or now - began >= BURST:
        if began is not None:
            own = 1 if getattr(_local, "serving", False) else 0
            with _changed:
                _changed.wait_for(lambda: _in_flight <= own, timeout=MAX_WAIT)
        _local.began = time.thread_time()


def counting(wsgi_app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """Wrap the WSGI app so the requests in flight are known (the response body is produced inside the call)."""

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_started()
        try:
            return wsgi_app(environ, start_response)
        finally:
            request_finished()

    return counted
