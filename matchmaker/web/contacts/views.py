"""我要对接: the request form on a posting, 我的对接 (staff: all, with filters), one request and its actions."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker import labels
from matchmaker.models.contact import CONTACT_STATUSES, OPEN_STATUSES
from matchmaker.services.contacts import queries, requests
from matchmaker.services.contacts.queries import ContactFilter
from matchmaker.services.errors import ValidationFailed
from matchmaker.services.permissions import is_staff
from matchmaker.services.postings import lifecycle as postings
from matchmaker.web.contacts.forms import ContactRequestForm, DecisionForm
from matchmaker.web.helpers import actor, form_data, page_arg, pages, run_action, select_choices, show_errors

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
KINDS = {"results": "result", "needs": "need"}


@bp.get("/")
@login_required
def index() -> str:
    flt = ContactFilter(status=request.args.get("status", "")[:20], box=request.args.get("box", "")[:10])
    everything = is_staff(actor()) and request.args.get("scope") != "mine"
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = queries.list_requests(actor(), flt, page=page_arg(), per_page=per_page, everything=everything)
    return render_template("contacts/index.html", rows=[(r, queries.direction(r, actor())) for r in rows],
                           total=total, flt=flt, page=page_arg(), pages=pages(total, per_page),
                           everything=everything, statuses=CONTACT_STATUSES,
                           pending=queries.pending_count() if everything else None)


@bp.route("/new/<kind>/<int:posting_id>", methods=["GET", "POST"])
@login_required
def new(kind: str, posting_id: int) -> str | Response:
    if kind not in KINDS:
        abort(404)
    posting = postings.get_posting(KINDS[kind], posting_id, actor())
    box = queries.contact_action(KINDS[kind], posting, actor())
    if box.open_request_id is not None:
        return redirect(url_for("contacts.detail", request_id=box.open_request_id))
    queries.require_can_request(box)
    form = ContactRequestForm()
    form.mode.choices = select_choices([("", "—")] + [(m, labels.label("mode", m)) for m in posting.modes or []]
                                       + [(m, t) for m, t in labels.options("mode") if m not in (posting.modes or [])])
    own, _total = postings.list_mine("need" if KINDS[kind] == "result" else "result", actor(), per_page=200)
    form.own_posting_id.choices = select_choices([("", "—")] + [(p.id, p.title) for p in own
                                                                if p.status == "published"])
    if form.validate_on_submit():
        try:
            req = requests.submit_request({**form_data(form), "target_kind": KINDS[kind], "target_id": posting_id},
                                          actor())
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("对接申请已提交。"), "success")
            return redirect(url_for("contacts.detail", request_id=req.id))
    return render_template("contacts/new.html", form=form, p=posting, kind=kind, box=box)


@bp.get("/<int:request_id>")
@login_required
def detail(request_id: int) -> str:
    req = queries.get_request(request_id, actor())
    requester, owner = queries.contacts_for(req, actor())
    return render_template("contacts/detail.html", req=req, actions=queries.actions_for(req, actor()),
                           requester=requester, owner=owner, form=DecisionForm(),
                           waiting=req.status in OPEN_STATUSES)


@bp.post("/<int:request_id>/<action>")
@login_required
def act(request_id: int, action: str) -> Response:
    form = DecisionForm()
    if action not in ("approve", "decline", "refuse", "accept", "withdraw"):
        abort(404)
    if form.validate_on_submit():
        reason = form.reason.data or ""
        deciders = {"approve": lambda: requests.approve_request(request_id, actor()),
                    "decline": lambda: requests.decline_request(request_id, reason, actor()),
                    "accept": lambda: requests.accept_request(request_id, actor(), reason),
                    "withdraw": lambda: requests.withdraw_request(request_id, actor())}
        run_action(deciders["decline" if action == "refuse" else action], _("已处理。"))
    return redirect(url_for("contacts.detail", request_id=request_id))
