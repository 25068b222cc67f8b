"""A job in a web process gives way to the process's other requests after each short burst, never forever."""
from __future__ import annotations

import threading
import time

from flask.testing import FlaskClient

from matchmaker.services.jobs import courtesy


def _burn(seconds: float) -> None:
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def _burst_then_give_way() -> float:
    courtesy._local.began = None  # this thread's burst from an earlier test
    courtesy.give_way()  # starts a burst
    _burn(courtesy.BURST * 1.5)
    t0 = time.perf_counter()
    courtesy.give_way()
    return time.perf_counter() - t0


def _request_elsewhere(release: threading.Event, started: threading.Event) -> threading.Thread:
    def serve() -> None:
        courtesy.request_started()
        started.set()
        release.wait(10)
        courtesy.request_finished()

    thread = threading.Thread(target=serve)
    thread.start()
    assert started.wait(5)
    return thread


def test_with_no_request_in_flight_a_job_runs_on() -> None:
    assert courtesy.requests_in_flight() == 0
    assert _burst_then_give_way() < 0.05


def test_a_job_waits_for_another_request_and_goes_on_when_it_ends() -> None:
    release, started = threading.Event(), threading.Event()
    thread = _request_elsewhere(release, started)
    threading.Timer(0.1, release.set).start()  # the burst takes ~0.03 s of it
    waited = _burst_then_give_way()
    thread.join()
    assert 0.03 < waited < courtesy.MAX_WAIT, waited  # until the request ended, not the whole MAX_WAIT


def test_a_job_is_never_starved_for_longer_than_the_bound() -> None:
    release, started = threading.Event(), threading.Event()
    thread = _request_elsewhere(release, started)
    try:
        waited = _burst_then_give_way()
    finally:
        release.set()
        thread.join()
    assert courtesy.MAX_WAIT * 0.9 < waited < courtesy.MAX_WAIT * 3, waited


def test_a_job_run_inline_by_a_request_does_not_wait_for_that_request() -> None:
    courtesy.request_started()
    try:
        assert _burst_then_give_way() < 0.05
    finally:
        courtesy.request_finished()


def test_the_app_counts_its_requests_in_flight(client: FlaskClient) -> None:
    seen: list[int] = []
    original = courtesy.request_finished

    def finished() -> None:
        seen.append(courtesy.requests_in_flight())
        original()

    courtesy.request_finished = finished  # type: ignore[assignment]
    try:
        assert client.get("/").status_code == 200
    finally:
        courtesy.request_finished = original  # type: ignore[assignment]
    assert seen == [1] and courtesy.requests_in_flight() == 0
