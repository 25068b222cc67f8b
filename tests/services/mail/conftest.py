"""E-mails are rendered in English too: the English catalog must be compiled."""
from __future__ import annotations

import pytest

from tests.web.support import compile_catalogs


@pytest.fixture(scope="session", autouse=True)
def _catalogs() -> None:
    compile_catalogs()
