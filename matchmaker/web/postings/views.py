"""Browse, read, post and edit results and needs: one set of views serves both kinds."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import fields
from matchmaker.services.alerts import subscriptions as alert_subscriptions
from matchmaker.services.contacts import queries as contact_requests
from matchmaker.services.errors import ValidationFailed
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.permissions import actions_for, may_post, require_edit
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings import revisions, rules
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import postings as search
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import (
    actor,
    chain_choices,
    created,
    form_data,
    int_arg,
    page_arg,
    pages,
    query_arg,
    replayed,
    select_choices,
    show_errors,
    validate_all,
)
from matchmaker.web.postings.forms import FORMS


def _filter_from_args() -> PostingFilter:
    return PostingFilter(q=query_arg(), chain_id=int_arg("chain_id"),
                         trl_min=int_arg("trl_min"), trl_max=int_arg("trl_max"),
                         mode=request.args.get("mode", "")[:20], org_id=int_arg("org_id"))


def _prefill(form: Any, posting: Any) -> None:
    """The edit form starts from the posting, with the owner's waiting revision (if any) on top."""
    for name, value in revisions.edit_values(posting).items():
        if hasattr(form, name):
            getattr(form, name).data = value
    form.keywords.data = "、".join(revisions.edit_values(posting).get("keywords", posting.keywords) or [])
    form.chain_id.data = str(revisions.edit_values(posting).get("chain_id", posting.chain_id) or "")


def make_blueprint(kind: str, name: str) -> Blueprint:
    """The views of one posting kind under /<name>/."""
    bp = Blueprint(name, __name__, url_prefix=f"/{name}")

    def _form(obj: Any = None) -> Any:
        form = FORMS[kind](obj=obj)
        form.chain_id.choices = select_choices(chain_choices(blank="—"))
        return form

    @bp.get("/")
    def index() -> str:
        flt = _filter_from_args()
        found = search.search_postings(kind, flt, sort=request.args.get("sort", ""), page=page_arg(),
                                       per_page=current_app.config["PAGE_SIZE"])
        return render_template("postings/index.html", kind=kind, found=found, flt=flt, chains=chain_choices(blank=""))

    @bp.get("/<int:posting_id>")
    def detail(posting_id: int) -> str:
        posting = postings.get_posting(kind, posting_id, actor())
        return render_template("postings/detail.html", kind=kind, p=posting, action_form=ConfirmForm(),
                               actions=actions_for(actor(), posting),
                               revision=revisions.revision_state(posting, actor()),
                               contact=postings.contact_for(posting, actor()),
                               contact_box=contact_requests.contact_action(kind, posting, actor()),
                               suggestions=matching.suggestions_for(kind, posting, actor(),
                                                                    chain_id=int_arg("match_chain")),
                               match_chain=int_arg("match_chain"), chains=chain_choices(blank=""),
                               can_watch=alert_subscriptions.may_watch(posting, actor()))

    @bp.get("/mine")
    @login_required
    def mine() -> str:
        per_page = current_app.config["PAGE_SIZE"]
        rows, total = postings.list_mine(kind, actor(), page=page_arg(), per_page=per_page)
        return render_template("postings/mine.html", kind=kind, rows=rows, total=total, page=page_arg(),
                               pages=pages(total, per_page), action_form=ConfirmForm())

    @bp.route("/new", methods=["GET", "POST"])
    @login_required
    def create() -> str | Response:
        may_post(actor(), kind)
        form = _form()
        if (done := replayed(form)) is not None:
            return done
        if validate_all(form, lambda data: rules.check_posting(kind, data, today=fields.today())):
            try:
                posting = postings.create_posting(kind, form_data(form), actor(), submit=form.submit_review.data)
            except ValidationFailed as exc:
                show_errors(form, exc)
            else:
                return created(form, url_for(".detail", posting_id=posting.id),
                               _("已提交审核。") if form.submit_review.data else _("草稿已保存。"))
        return render_template("postings/form.html", kind=kind, form=form, p=None, revision_notice=False)

    @bp.route("/<int:posting_id>/edit", methods=["GET", "POST"])
    @login_required
    def edit(posting_id: int) -> str | Response:
        posting = postings.get_posting(kind, posting_id, actor())
        require_edit(actor(), posting)
        form = _form(obj=posting)
        if request.method == "GET":
            _prefill(form, posting)
        revision = revisions.needs_review(posting, actor())
        if validate_all(form, lambda data: rules.check_posting(kind, data)):
            try:
                postings.update_posting(kind, posting_id, form_data(form), actor())
                if form.submit_review.data and "submit" in actions_for(actor(), posting):
                    postings.submit_posting(kind, posting_id, actor())
            except ValidationFailed as exc:
                show_errors(form, exc)
            else:
                flash(_("修改已提交审核。审核通过前，公开页面仍显示原来的内容。") if revision else _("修改已保存。"),
                      "info" if revision else "success")
                return redirect(url_for(".detail", posting_id=posting_id))
        return render_template("postings/form.html", kind=kind, form=form, p=posting, revision_notice=revision)

    @bp.post("/<int:posting_id>/submit")
    @login_required
    def submit(posting_id: int) -> Response:
        if ConfirmForm().validate_on_submit():
            postings.submit_posting(kind, posting_id, actor())
            flash(_("已提交审核。"), "success")
        return redirect(url_for(".detail", posting_id=posting_id))

    @bp.post("/<int:posting_id>/withdraw")
    @login_required
    def withdraw(posting_id: int) -> Response:
        if ConfirmForm().validate_on_submit():
            postings.withdraw_posting(kind, posting_id, actor())
            flash(_("已撤回。"), "info")
        return redirect(url_for(".detail", posting_id=posting_id))

    return bp


results_bp = make_blueprint("result", "results")
needs_bp = make_blueprint("need", "needs")
