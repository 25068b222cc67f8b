"""Browser tests: pytest-playwright driving Debian's chromium against the app served in a thread."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from matchmaker.models import Chain
from tests.web.support import compile_catalogs, load_chains

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Never `playwright install`: use the system browser, offline."""
    return {"executable_path": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]}


@pytest.fixture(scope="session")
def base_url() -> None:
    """Replaces pytest-base-url's fixture (its method-style definition warns, and warnings are errors here)."""
    return None


@pytest.fixture
def app_config() -> dict[str, Any]:
    """The real configuration, CSRF protection included."""
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def default_chains(app: Flask) -> list[Chain]:
    return load_chains(app.config["CORPUS_DIR"])


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on 127.0.0.1:<free port>; it shares the test's database (a file SQLite or PostgreSQL)."""
    compile_catalogs()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
