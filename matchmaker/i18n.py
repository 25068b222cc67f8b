"""Locale choice: Simplified Chinese unless the visitor picked English."""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale

from matchmaker.extensions import babel

TRANSLATIONS_DIR = "translations"


def select_locale() -> str:
    """?lang= for this request (and remembered), else the session's choice, else the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=TRANSLATIONS_DIR)
    app.jinja_env.globals["get_locale"] = get_locale  # base.html picks <html lang> and the language switch
