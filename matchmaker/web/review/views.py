"""Staff review queue: publish or reject with a reason."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.models.posting import KINDS
from matchmaker.services.errors import NotFound, ValidationFailed
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import review
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, show_errors
from matchmaker.web.review.forms import RejectForm

bp = Blueprint("review", __name__, url_prefix="/review")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise NotFound(_("找不到该页面。"))
    return kind


@bp.get("/")
@login_required
def queue() -> str:
    return render_template("review/queue.html", results=review.review_queue("result", actor()),
                           needs=review.review_queue("need", actor()), action_form=ConfirmForm(),
                           revisions=[(kind, p, diff) for kind in KINDS
                                      for p, diff in review.revision_queue(kind, actor())])


@bp.post("/<kind>/<int:posting_id>/publish")
@login_required
def publish(kind: str, posting_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        review.publish_posting(_kind(kind), posting_id, actor())
        flash(_("已发布。"), "success")
    return redirect(url_for("review.queue"))


@bp.route("/<kind>/<int:posting_id>/reject", methods=["GET", "POST"])
@login_required
def reject(kind: str, posting_id: int) -> str | Response:
    posting = postings.get_posting(_kind(kind), posting_id, actor())
    review.review_queue(kind, actor())  # staff only, before showing anything
    form = RejectForm()
    if form.validate_on_submit():
        try:
            review.reject_posting(kind, posting_id, form.reason.data, actor())
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("已退回。"), "info")
            return redirect(url_for("review.queue"))
    return render_template("review/reject.html", form=form, p=posting, kind=kind)
