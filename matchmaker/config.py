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

    SECRET_KEY = ""
    """Signs sessions and CSRF tokens; required outside tests and debug (`make run` writes instance/config.py)."""
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
    LOGIN_MAX_FAILURES = 50
    """Failed logins, from any clients, before the account is locked for LOGIN_LOCK_MINUTES (a guard against
    guessing spread over many addresses; one client is slowed down long before, see LOGIN_FREE_FAILURES)."""
    LOGIN_FREE_FAILURES = 3
    """Failed logins of one (user name, client address) pair before each further one doubles a waiting time."""
    LOGIN_FREE_FAILURES_PER_ADDRESS = 20
    """Failed logins of one client address (over any names) before it must wait likewise."""
    LOGIN_MAX_DELAY_SECONDS = 900
    """The longest wait the throttle imposes."""
    REGISTER_LIMIT = "10 per hour"
    """New accounts per client address (Flask-Limiter syntax)."""
    LOGIN_LOCK_MINUTES = 15
    """How long a locked account stays locked."""
    SESSION_IDLE_MINUTES = 120
    """A sign-in session unused this long ends (the next page asks to sign in again)."""
    SESSION_MAX_HOURS = 12
    """A sign-in session ends this long after it started, however busy."""
    PAGE_SIZE = 20
    """Rows per page in lists and API responses (API may ask for up to 100)."""
    MATCH_MIN_SCORE = 0.16
    """Suggestions below this normalized score are hidden (calibrated on the demo's match truth: between its
    highest gap need and its lowest true pair; spreading typed parts raised scores by about 7 %)."""
    MATCH_TOP_K = 10
    """Suggestions shown per posting."""
    SEARCH_MAX_CHARS = 200
    """A search query longer than this is cut (with a notice), never refused."""
    SEARCH_MIN_SCORE = 0.3
    """Search hits below this normalized score are left out (0.3 drops one shared bigram, keeps one shared word)."""
    SEARCH_MAX_HITS = 1000
    """At most this many ranked hits are filtered and paged; a person never pages that far."""
    SEARCH_SNIPPET_CHARS = 80
    """Length of the text snippet shown under each hit."""
    DUPLICATE_THRESHOLD = 0.6
    """Shingle Jaccard above which a posting is flagged as a near-duplicate (edited copies >= 0.7, same topic < 0.2)."""
    STALE_INTENT_DAYS = 30
    """An intent with no update for this many days is flagged on the dashboard."""
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    """The UI speaks Simplified Chinese unless the visitor picks English."""
    TIMEZONE = "Asia/Shanghai"
    """The bureau's time zone: "today" (statistics date, default dates, no-future checks) and shown times."""
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
    PUBLIC_HOLIDAYS: tuple[str, ...] = ()
    """Dates ("2027-10-01", ...) that are not working days for the request deadlines: the State Council's
    holiday calendar for the year, set in instance/config.py (it is published each December)."""
    MAKEUP_WORKDAYS: tuple[str, ...] = ()
    """Weekend dates that are working days (调休), e.g. ("2027-09-26",); they count toward the deadlines."""
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
    HSTS_SECONDS = 31536000
    """Strict-Transport-Security max-age sent when the site is served over HTTPS (PREFERRED_URL_SCHEME)."""
    PREFERRED_URL_SCHEME = "http"
    """Set to "https" behind TLS: links use it, cookies become Secure and HSTS is sent."""
    API_MAX_JSON_BYTES = 1024 * 1024
    """Largest JSON body the API parses; a larger one is a 400."""
    API_MAX_JSON_DEPTH = 20
    """Deepest nesting of arrays/objects the API accepts in a JSON body."""
    REDIS_URL = ""
    """redis://host:port/db of the job queue; empty runs jobs in a background thread of the app process."""
    JOBS_BACKEND = ""
    """"rq", "thread" or "inline"; empty means "rq" when REDIS_URL is set, else "thread"."""
    JOBS_QUEUE = "matchmaker"
    """Name of the RQ queue (one per deployment; `flask jobs-worker` listens on it)."""
    JOB_TIMEOUT_SECONDS = 3600
    """An RQ job running longer than this is stopped by its worker."""
    JOB_STALL_SECONDS = 300
    """A job that reported nothing for this long is shown as interrupted (its process died)."""
    MATCH_INDEX_ENABLED = True
    """Build and keep the match index; tests of unrelated features may turn it off for speed."""
    BASE_URL = "http://localhost:5000"
    """Where people reach the platform; links in e-mails start with it."""
    MAIL_SERVER = ""
    """SMTP host; empty means nothing is sent and messages wait in the outbox."""
    MAIL_PORT = 25
    """SMTP port (587 with MAIL_USE_TLS, 465 with MAIL_USE_SSL)."""
    MAIL_USERNAME = ""
    """SMTP login; empty means no AUTH."""
    MAIL_PASSWORD = ""  # noqa: S105 - empty by default; set in instance/config.py or the environment
    """SMTP password."""
    MAIL_USE_TLS = False
    """STARTTLS after connecting."""
    MAIL_USE_SSL = False
    """TLS from the first byte (SMTPS)."""
    MAIL_SENDER = "noreply@localhost"
    """From: address of every message."""
    MAIL_TIMEOUT = 20
    """Seconds before an SMTP connection or command gives up."""
    MAIL_MAX_ATTEMPTS = 6
    """Delivery attempts before a message is marked failed."""
    MAIL_RETRY_SECONDS = 60
    """First retry delay; each later one doubles (60 s, 2, 4, 8, 16 min)."""
    MAIL_BATCH_SIZE = 200
    """Messages one `flask send-mail` pass (or delivery job) handles at most."""
    MAIL_DELIVERY = "job"
    """"job": a commit that queued e-mail starts a delivery job (JOBS_BACKEND), so mail leaves within seconds;
    "cron": only `flask send-mail` sends. Retries wait for the next job or pass either way."""
    SUBSCRIPTIONS_PER_USER = 20
    """Match-alert subscriptions one account may keep (searches and postings together)."""
    ALERT_DIGEST_DEFAULT = "daily"
    """How an account that never chose gets its alert e-mail: immediate | daily | weekly | off."""
    EVENT_REMINDER_DAYS = 1
    """`flask remind-events` sends participants their schedule when the event starts within this many days."""
    EVENT_INVITATION_REMINDER_DAYS = 7
    """An invitation still unanswered this many days after it was sent gets one reminder."""
    EVENT_ANSWER_TOKEN_DAYS = 90
    """How long the accept/decline link in an invitation e-mail works."""
    DOOR_CHECKIN_LIMIT = "30 per minute"
    """Self check-in attempts per client address at the door page (Flask-Limiter syntax)."""
    UNSUBSCRIBE_TOKEN_DAYS = 180
    """How long the one-click unsubscribe link in an alert or digest e-mail works."""
    ALERT_DIGEST_MAX_ITEMS = 50
    """Alerts listed in one digest e-mail at most (the rest are counted, with a link to 我的订阅)."""
    RESET_TOKEN_MINUTES = 30
    """How long a password-reset link works."""
    RESET_MAILS_PER_HOUR = 3
    """Reset e-mails one account receives per hour at most, whatever the number of requests."""
    VERIFY_TOKEN_DAYS = 7
    """How long an e-mail verification link works."""
    FORGOT_PASSWORD_LIMIT = "5 per 15 minutes"  # noqa: S105 - a rate, not a secret
    """Forgot-password submissions per client address (Flask-Limiter syntax)."""
    RATELIMIT_STORAGE_URI = "memory://"
    """Per-worker counters; the per-account cap above is kept in the database."""
    MATCH_INDEX_MAX_STALENESS = 1.0
    """Seconds a worker's match index may lag behind another worker's commit (it reads the change log this often)."""
    MATCH_INDEX_FREEZE_GC = True
    """Move the objects alive once the index is loaded out of the cycle collector's way (gc.freeze); tests, which
    build many small indexes in one process, turn it off."""
    MATCH_STATS_MAX_AGE = 300
    """Seconds the dashboard may reuse matcher-derived statistics (funnel match stage, gap list, merged duplicates)."""
    MATCH_INDEX_CHANGE_RETENTION_HOURS = 24
    """Index change-log rows older than this are pruned; a worker asleep for longer resyncs fully."""


def _coerce(raw: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, booleans), else strings."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def environment_overrides(prefix: str = "MATCHMAKER_") -> dict[str, Any]:
    """MATCHMAKER_FOO=bar becomes FOO='bar'."""
    return {k[len(prefix):]: _coerce(v) for k, v in os.environ.items() if k.startswith(prefix)}
