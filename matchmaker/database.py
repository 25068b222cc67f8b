"""Database binding: SQLAlchemy, migrations and SQLite connection settings."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from matchmaker.config import PROJECT_ROOT
from matchmaker.extensions import db, migrate

MIGRATIONS_DIR = str(PROJECT_ROOT / "migrations")


def init_app(app: Flask) -> None:
    """Bind the ORM and Alembic; tune SQLite connections."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 10},
        }
    import matchmaker.models  # noqa: F401 - registers every table with the metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection (see platform notes)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=5000", "foreign_keys=ON", "synchronous=FULL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
