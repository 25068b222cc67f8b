"""The engine is a pure library: no web, database or other matchmaker.* imports, no config."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "matchmaker" / "engine"
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "flask_sqlalchemy", "flask_wtf", "flask_login")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_sources_import_nothing_forbidden() -> None:
    for path in ENGINE.glob("*.py"):
        for name in _imports(path):
            assert name.split(".")[0] not in FORBIDDEN, (path.name, name)
            if name.startswith("matchmaker"):
                assert name.startswith("matchmaker.engine"), (path.name, name)
        source = path.read_text(encoding="utf-8")
        assert "os.environ" not in source and "getenv" not in source, path.name


def test_engine_imports_alone() -> None:
    """Import the engine under a bare parent package (without matchmaker/__init__.py's app)."""
    code = (
        "import sys, types\n"
        f"pkg = types.ModuleType('matchmaker'); pkg.__path__ = [{str(ENGINE.parent)!r}]\n"
        "sys.modules['matchmaker'] = pkg\n"
        "import matchmaker.engine\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}\n"
        "             or (m.startswith('matchmaker.') and not m.startswith('matchmaker.engine')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
