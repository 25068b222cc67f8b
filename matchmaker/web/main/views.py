"""Home page and language switch."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from matchmaker.models import Need, Result
from matchmaker.services import chains, home
from matchmaker.services.events import registrations
from matchmaker.web.helpers import safe_path

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    return render_template("main/index.html", figures=home.home_figures(), chains=chains.list_chains(),
                           results=home.latest(Result), needs=home.latest(Need),
                           events=registrations.upcoming_public_events())


@bp.get("/lang/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen language and go back to a page of this site."""
    if code in ("zh_Hans_CN", "en"):
        session["lang"] = code
    return redirect(safe_path(request.args.get("next"), url_for("main.index")))
