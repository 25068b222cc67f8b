"""matchmaker: 科技成果转化对接平台."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from matchmaker.config import Defaults, environment_overrides


def create_app(test_config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the application; reads as the list of what the app is made of."""
    app = Flask(
        __name__,
        template_folder="../templates",
        instance_relative_config=True,
        instance_path=instance_path,
    )
    configure(app, test_config)
    from matchmaker import database, i18n, logs, mail_dispatch, outage, security
    from matchmaker.api import register_api
    from matchmaker.cli import register_cli
    from matchmaker.web import register_web

    logs.install()
    database.init_app(app)
    mail_dispatch.init_app(app)
    outage.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    register_web(app)
    register_api(app)
    register_cli(app)
    from matchmaker.services.jobs import courtesy

    app.wsgi_app = courtesy.counting(app.wsgi_app)  # type: ignore[method-assign]  # jobs give way to requests
    return app


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then instance/config.py, then MATCHMAKER_* variables, then the test's overrides."""
    app.config.from_object(Defaults)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(environment_overrides())
    if test_config:
        app.config.update(test_config)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])  # one time zone, set in one place
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'matchmaker.sqlite'}"
    if not app.config["INDEX_DIR"]:
        app.config["INDEX_DIR"] = str(Path(app.instance_path) / "index")
    require_secret_key(app)
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config.setdefault("SESSION_COOKIE_SECURE", True)


class MissingSecretKey(RuntimeError):
    """Production refuses to start with no secret key: a guessable one lets anyone forge a staff session."""


# Keys this project shipped as defaults once: treat them as unset.
KNOWN_WEAK_KEYS = frozenset({"", "dev-only-change-me", "change-me", "secret"})


def require_secret_key(app: Flask) -> None:
    """Tests and the debug server get a random throw-away key; anything else must be configured."""
    if str(app.config.get("SECRET_KEY") or "") not in KNOWN_WEAK_KEYS:
        return
    if app.testing or app.debug:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise MissingSecretKey("SECRET_KEY is not set: write one to instance/config.py (make run does) "
                           "or set MATCHMAKER_SECRET_KEY")
