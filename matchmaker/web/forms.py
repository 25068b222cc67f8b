"""Shared form pieces: a one-time token per rendered create form, so Back + resubmit does not create twice."""
from __future__ import annotations

import secrets

from flask import session
from flask_wtf import FlaskForm
from wtforms import HiddenField

REMEMBERED = 20
"""How many consumed tokens a session remembers (a replay older than that creates again, and is flagged)."""


def new_token() -> str:
    return secrets.token_urlsafe(18)


class OnceForm(FlaskForm):
    """A create form: each rendering carries a fresh random token; the first successful POST consumes it."""

    form_token = HiddenField(default=new_token)


def replay_target(form: FlaskForm) -> str | None:
    """Where the record made by an earlier POST of this very rendered form lives, when this POST is a replay."""
    token = _token(form)
    if not token:
        return None
    return dict(session.get("once", [])).get(token)


def consume(form: FlaskForm, url: str) -> None:
    """Remember that this form's token made the record at `url` (kept in the signed session, newest last)."""
    token = _token(form)
    if token:
        kept = [pair for pair in session.get("once", []) if pair[0] != token]
        session["once"] = [*kept, [token, url]][-REMEMBERED:]


def _token(form: FlaskForm) -> str:
    field = getattr(form, "form_token", None)
    value = str(field.data or "") if field is not None else ""
    return value if 8 <= len(value) <= 64 else ""
