"""`flask backup` / `flask restore`: a consistent copy while serving, restored into an empty database."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from matchmaker import backup
from matchmaker.extensions import db
from tests.conftest import make_app


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as the test database."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seeded(make_posting: Callable[..., Any]) -> None:
    for status in ("published", "draft", "pending"):
        make_posting("result", status=status)
        make_posting("need", status=status)


def test_backup_then_restore_into_an_empty_database_keeps_every_row(
        app: Flask, runner: Any, make_posting: Callable[..., Any], empty_database: str, tmp_path: Path) -> None:
    _seeded(make_posting)
    before = backup.row_counts(db.engine)
    assert before["result"] == 3 and before["need"] == 3 and before["user_account"] >= 1
    path = tmp_path / "site.backup"

    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert path.stat().st_size > 0

    target = make_app(empty_database, tmp_path / "other-instance")
    with target.app_context():
        done = target.test_cli_runner().invoke(args=["restore", str(path)])
        assert done.exit_code == 0, done.output
        after = backup.row_counts(db.engine)
        db.engine.dispose()
    assert {k: v for k, v in after.items()} == before


def test_restore_refuses_a_database_with_data_unless_forced(
        app: Flask, runner: Any, make_posting: Callable[..., Any], tmp_path: Path) -> None:
    _seeded(make_posting)
    path = tmp_path / "site.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    assert backup.row_counts(db.engine)["result"] == 3


def test_backup_is_consistent_while_another_connection_writes(
        app: Flask, make_posting: Callable[..., Any], tmp_path: Path) -> None:
    """The copy is a snapshot: rows committed during the copy are either wholly in or wholly out."""
    _seeded(make_posting)
    engine: Engine = db.engine
    counts = backup.backup(engine, tmp_path / "a.backup")
    make_posting("result", status="published")
    assert counts["result"] == 3
    assert backup.row_counts(engine)["result"] == 4


def test_a_missing_backup_file_is_a_clear_error(app: Flask, tmp_path: Path) -> None:
    with pytest.raises(backup.BackupError, match="no backup file"):
        backup.restore(db.engine, tmp_path / "nope.backup")
