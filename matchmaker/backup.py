"""Online backup and restore of the whole database.

SQLite uses its online backup API, so a copy is consistent while the site keeps serving (readers and writers
only wait for the pages being copied). PostgreSQL uses `pg_dump --format=custom` and `pg_restore`, which take a
consistent snapshot without locking writers. A restore goes into an empty database only, unless forced: it
never merges into live data. Row counts per table are returned so the caller can compare before and after.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, select
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why (for the operator)."""


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the database (the schema as it is, not as the models say)."""
    meta = MetaData()
    meta.reflect(bind=engine)
    with engine.connect() as conn:
        return {name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in sorted(meta.tables.items())}


def is_empty(engine: Engine) -> bool:
    """No table holds a row (alembic_version aside: an upgraded empty schema is still empty)."""
    return all(count == 0 for name, count in row_counts(engine).items() if name != "alembic_version")


def backup(engine: Engine, target: Path) -> dict[str, int]:
    """Write a consistent copy of the database to `target`; returns the row counts it holds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    url = engine.url
    if url.get_backend_name() == "sqlite":
        partial = target.with_name(target.name + ".partial")
        with sqlite3.connect(url.database or ":memory:") as source, sqlite3.connect(partial) as copy:
            source.backup(copy)
        os.replace(partial, target)
    elif url.get_backend_name() == "postgresql":
        _run_pg("pg_dump", ["--format=custom", "--no-owner", f"--file={target}"], engine)
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    return row_counts(engine)


def restore(engine: Engine, source: Path, *, force: bool = False) -> dict[str, int]:
    """Load a backup made by `backup` into this database; refuses a non-empty one unless forced."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if not force and _has_tables(engine) and not is_empty(engine):
        raise BackupError("the database is not empty: restore into an empty one, or pass --force to replace it")
    engine.dispose()
    url = engine.url
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(source) as backup_db, sqlite3.connect(url.database or ":memory:") as live:
            backup_db.backup(live)
    elif url.get_backend_name() == "postgresql":
        _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)], engine)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")
    return row_counts(engine)


def _has_tables(engine: Engine) -> bool:
    meta = MetaData()
    meta.reflect(bind=engine)
    return bool(meta.tables)


def _run_pg(tool: str, args: list[str], engine: Engine) -> None:
    """Run a PostgreSQL client tool against the engine's database; the password goes in the environment."""
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client)")
    url = make_url(engine.url)
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    conn = ["--host", url.host or "localhost", "--port", str(url.port or 5432), "--username", url.username or "",
            "--dbname", url.database or ""]
    done = subprocess.run([tool, *conn, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-500:]}")
