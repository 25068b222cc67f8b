"""通知: the list and marking read (one or all); the e-mail preferences are on the account pages."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services.notify import notifications
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, page_arg, pages, safe_path

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index() -> str:
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = notifications.list_notifications(actor(), page=page_arg(), per_page=per_page)
    return render_template("notifications/index.html", rows=[(n, notifications.text(n)) for n in rows],
                           total=total, page=page_arg(), pages=pages(total, per_page), action_form=ConfirmForm())


@bp.post("/<int:note_id>/read")
@login_required
def read(note_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        note = notifications.mark_read(note_id, actor())
        return redirect(safe_path(note.link, url_for("notifications.index")))
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def read_all() -> Response:
    if ConfirmForm().validate_on_submit():
        count = notifications.mark_all_read(actor())
        flash(_("已将 %(n)d 条通知标为已读。", n=count), "info")
    return redirect(url_for("notifications.index"))
