"""Demo events, meetings, intents and transfers (filled in with the events work)."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def seed(folder: Path, orgs: dict[str, Any], results: dict[str, Any], needs: dict[str, Any],
         users: dict[str, Any]) -> dict[str, int]:
    """Nothing yet: the events, intents and transfers issue loads its demo records here."""
    return {}
