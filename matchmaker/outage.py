"""Storage outages answer 503: a read-only database or a full disk is the operator's problem, not a crash.

The failed transaction is rolled back, so nothing already saved is touched; pages get the localized error page
and the API its JSON error shape, through the app's ordinary HTTP error handlers.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import ServiceUnavailable

from matchmaker.extensions import db

# PostgreSQL SQLSTATEs: read-only transaction, disk full, out of memory, too many connections / resources.
PG_STATES = frozenset({"25006", "53100", "53200", "53300", "53000"})
# SQLite result codes by name: read-only database, disk full, disk I/O error, cannot open the file.
SQLITE_ERRORS = frozenset({"SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN"})
MESSAGE = _l("系统存储暂时不可用（数据库只读或磁盘已满），本次操作未保存，已保存的数据不受影响。"
             "请稍后再试或联系管理员。")


def storage_unavailable(exc: BaseException) -> bool:
    """True for errors that mean the database cannot take writes right now (not for bugs in a query)."""
    orig: Any = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in PG_STATES:
        return True
    name = str(getattr(orig, "sqlite_errorname", ""))
    return any(name.startswith(code) for code in SQLITE_ERRORS)


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _database_error)


def _database_error(exc: DBAPIError) -> Any:
    if not storage_unavailable(exc):
        raise exc
    db.session.rollback()
    current_app.logger.error("storage unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
    return current_app.handle_user_exception(ServiceUnavailable(str(MESSAGE)))
