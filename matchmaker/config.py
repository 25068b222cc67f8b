"""Configuration: defaults here, then instance/config.py, then MATCHMAKER_* environment variables.

Only this module reads os.environ.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Defaults with a one-line reason each; every name can be overridden."""

    SECRET_KEY = "dev-only-change-me"  # noqa: S105 - replaced in instance/config.py by `make run`
    """Signs sessions and CSRF tokens; `make run` writes a random one to instance/config.py."""
    SQLALCHEMY_DATABASE_URI = ""
    """Empty means SQLite at instance/matchmaker.sqlite."""
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    """Survive PostgreSQL restarts without a 500."""
    CORPUS_DIR = str(PROJECT_ROOT / "corpus")
    """Chain taxonomy, jieba user dictionary, stopwords, common passwords, demo data."""
    INDEX_DIR = ""
    """Empty means instance/index; persisted match index artifacts."""
    LOCAL_REGION_PREFIX = "3703"
    """Credit-code region prefix (characters 3-8) that counts as a local firm (3703 = 淄博)."""
    CITY_NAME = "淄博市"
    """Shown in titles and reports."""
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret
    """Werkzeug hash method; tests use a cheap one."""
    PASSWORD_MIN_LENGTH = 10
    """Shorter passwords are refused."""
    LOGIN_MAX_FAILURES = 5
    """Failed logins before the account is locked for LOGIN_LOCK_MINUTES."""
    LOGIN_LOCK_MINUTES = 15
    """How long a locked account stays locked."""
    PAGE_SIZE = 20
    """Rows per page in lists and API responses (API may ask for up to 100)."""
    MATCH_MIN_SCORE = 0.15
    """Suggestions below this normalized score are hidden."""
    MATCH_TOP_K = 10
    """Suggestions shown per posting."""
    DUPLICATE_THRESHOLD = 0.6
    """Shingle Jaccard above which a posting is flagged as a near-duplicate (edited copies >= 0.7, same topic < 0.2)."""
    STALE_INTENT_DAYS = 30
    """An intent with no update for this many days is flagged on the dashboard."""
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    """The UI speaks Simplified Chinese unless the visitor picks English."""
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    """Dates shown in the bureau's time zone."""
    LANGUAGES = ("zh_Hans_CN", "en")
    """Locales offered in the language switch."""
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    """Largest upload (Excel import); larger bodies get a 413."""
    IMPORT_MAX_BYTES = 10 * 1024 * 1024
    """Largest Excel file the importer opens."""
    WTF_CSRF_TIME_LIMIT = None
    """CSRF tokens live as long as the session, so a long form is not lost."""
    SESSION_COOKIE_HTTPONLY = True
    """Scripts never read the session cookie."""
    SESSION_COOKIE_SAMESITE = "Lax"
    """Cross-site POSTs carry no session."""
    API_TITLE = "matchmaker API"
    """OpenAPI document title."""
    API_VERSION = "v1"
    """OpenAPI document version."""
    OPENAPI_VERSION = "3.0.3"
    """OpenAPI specification version served at /api/v1/openapi.json."""
    OPENAPI_URL_PREFIX = "/api/v1"
    """Where the OpenAPI document lives."""
    OPENAPI_JSON_PATH = "openapi.json"
    """The OpenAPI document's file name."""
    CONTACT_DAILY_CAP = 10
    """我要对接 requests one account may send per day."""
    CONTACT_MESSAGE_MAX = 2000
    """Longest 我要对接 message, in characters."""
    CONTACT_EXPIRY_WORKING_DAYS = 10
    """Working days staff (then the owner) have to answer a request before `flask expire-requests` expires it."""
    CONTACT_REMIND_WORKING_DAYS = 2
    """How many working days before the deadline the one reminder goes out."""
    CONTACT_AUTO_APPROVE = False
    """Bureau policy: True skips staff review for requests from verified organizations."""
    BUREAU_CONTACT_NAME = "淄博市科学技术局成果转化科"
    """Shown beside masked contacts: who to call instead."""
    BUREAU_CONTACT_PHONE = "0533-0000000"
    """The bureau's public phone number (set the real one in instance/config.py)."""
    BUREAU_CONTACT_EMAIL = ""
    """The bureau's public e-mail address, if any."""
    BUREAU_CONTACT_ADDRESS = ""
    """The bureau's office address, if any."""
    MATCH_INDEX_ENABLED = True
    """Build and keep the match index; tests of unrelated features may turn it off for speed."""


def _coerce(raw: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, booleans), else strings."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def environment_overrides(prefix: str = "MATCHMAKER_") -> dict[str, Any]:
    """MATCHMAKER_FOO=bar becomes FOO='bar'."""
    return {k[len(prefix):]: _coerce(v) for k, v in os.environ.items() if k.startswith(prefix)}
