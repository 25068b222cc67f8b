"""Small helpers the views share: turning domain errors into form errors or flashes, paging, select choices."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from matchmaker.models import User
from matchmaker.services import chains
from matchmaker.services.errors import Conflict, DomainError, ValidationFailed
from matchmaker.web import forms as once_forms

T = TypeVar("T")
MAX_QUERY = 100
"""Longest search text kept (the search inputs carry the same maxlength); longer text is cut with a notice."""
REFUSALS: tuple[type[DomainError], ...] = (Conflict, ValidationFailed)
"""The errors a record raises to refuse an action (its state or the data); other domain errors go to the error page."""

def actor() -> User | None:
    """The signed-in user or None, as services expect."""
    return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[no-any-return]


def show_errors(form: FlaskForm, exc: ValidationFailed, *, skip_failed: bool = False) -> None:
    """Put the service's field errors on the form; errors for unknown fields go on the form itself.
    `skip_failed`: leave fields that already carry a WTForms error alone (one complaint per field is enough)."""
    for name, messages in exc.errors.items():
        field = getattr(form, name, None)
        if skip_failed and field is not None and field.errors:
            continue
        target = field.errors if field is not None else form.form_errors
        if isinstance(target, tuple):
            target = list(target)
            field.errors = target  # type: ignore[union-attr]
        target.extend(str(m) for m in messages)


def run_action(action: Callable[[], T], success: str | Callable[[T], str] | None = None, category: str = "danger",
               *, success_category: str = "success", catch: tuple[type[DomainError], ...] = REFUSALS) -> T | None:
    """Run a service action for a POST-then-redirect view: flash `success` (a text, or made from the action's result)
    and return the result; when the record refuses, flash the refusal's message (a ValidationFailed: its first
    field message) as `category` and return None. The view redirects either way."""
    try:
        result = action()
    except catch as exc:
        flash(str(exc.message), category)
        return None
    if success is not None:
        flash(success(result) if callable(success) else success, success_category)
    return result


def page_arg() -> int:
    raw = request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() and len(raw) < 7 else 1


def int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def select_choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3+ wants them (tuples are deprecated and removed in 3.4)."""
    return [SelectChoice(str(value), str(text)) for value, text in pairs]


def chain_choices(blank: str | None = None) -> list[tuple[str, str]]:
    items = [(str(c.id), c.name) for c in chains.list_chains()]
    return ([("", blank)] if blank is not None else []) + items


def pages(total: int, per_page: int) -> int:
    return max((total + per_page - 1) // per_page, 1)


def form_data(form: FlaskForm) -> dict[str, Any]:
    """The form's values without the CSRF token and buttons."""
    return {k: v for k, v in form.data.items()
            if k not in ("csrf_token", "form_token", "submit", "save", "submit_review")}


def validate_all(form: FlaskForm, check: Callable[[dict[str, Any]], object] | None = None) -> bool:
    """True for a POST whose form passes WTForms. When it does not and `check` (the service's validation,
    which saves nothing) is given, the service's field errors are added too, so every error shows at once."""
    if form.validate_on_submit():
        return True
    if request.method == "POST" and check is not None and form.is_submitted():
        try:
            check(form_data(form))
        except ValidationFailed as exc:
            show_errors(form, exc, skip_failed=True)
    return False


def replayed(form: FlaskForm) -> Response | None:
    """A redirect to the record already made when this POST replays a create form (Back + submit again)."""
    url = once_forms.replay_target(form) if request.method == "POST" else None
    if url is None:
        return None
    flash(_("该表单已经提交过，没有重复创建；这是上次创建的记录。"), "info")
    return redirect(url)


def created(form: FlaskForm, url: str, message: str) -> Response:
    """Consume the create form's token for the new record at `url`, flash and redirect there."""
    once_forms.consume(form, url)
    flash(message, "success")
    return redirect(url)


def submit_form(form: FlaskForm, save: Callable[[dict[str, Any]], T], message: str,
                target: Callable[[T], str], *, once: bool = False,
                check: Callable[[dict[str, Any]], object] | None = None) -> Response | None:
    """The POST half of a create/edit page: on a valid submit call the service with the form's data, then flash
    and redirect; when the service refuses, show its field errors and return None so the view re-renders.
    `once` (create pages): a replay of an already submitted rendering goes to the record it made instead."""
    if once and (done := replayed(form)) is not None:
        return done
    if not validate_all(form, check):
        return None
    try:
        saved = save(form_data(form))
    except ValidationFailed as exc:
        show_errors(form, exc)
        return None
    if once:
        return created(form, target(saved), message)
    flash(message, "success")
    return redirect(target(saved))


def query_arg(name: str = "q") -> str:
    """The search text of the query string, cut to MAX_QUERY characters with a notice (never a raw 414)."""
    raw = request.args.get(name, "")
    if len(raw) > MAX_QUERY:
        flash(_("搜索词过长，已只按前 %(n)d 个字搜索。", n=MAX_QUERY), "warning")
    return raw[:MAX_QUERY]


def safe_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: the one check behind every `next=` redirect.

    Refused: absolute URLs, scheme-relative `//host`, backslashes (`/\\host`), and any whitespace or control
    character — browsers drop a tab or newline, so `/%09/evil.example/` would become `//evil.example/`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    return target

