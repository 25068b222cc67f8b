"""Organizations: public directory and pages; staff create, correct and override locality."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import organizations
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.permissions import actions_for, is_staff, require_staff
from matchmaker.services.postings import lifecycle as postings
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import organizations as search_orgs
from matchmaker.web.helpers import actor, page_arg, query_arg, run_action, submit_form
from matchmaker.web.orgs.forms import LocalOverrideForm, OrganizationForm

bp = Blueprint("orgs", __name__, url_prefix="/orgs")


@bp.get("/")
def index() -> str:
    per_page = current_app.config["PAGE_SIZE"]
    kind = request.args.get("kind", "")
    found = search_orgs.search_organizations(kind=kind, q=query_arg(), page=page_arg(),
                                             per_page=per_page,
                                             include_unverified=is_staff(actor()))
    return render_template("orgs/index.html", found=found, kind=kind)


@bp.get("/<int:org_id>")
def detail(org_id: int) -> str:
    org = organizations.get_visible_organization(org_id, actor())
    flt = PostingFilter(org_id=org.id)
    results, _n = postings.list_public("result", flt, per_page=100)
    needs, _m = postings.list_public("need", flt, per_page=100)
    actions = actions_for(actor(), org)
    return render_template("orgs/detail.html", org=org, results=results, needs=needs,
                           is_local=organizations.is_local(org), actions=actions,
                           suggestions=matching.suggestions_for_org(org, actor()),
                           override_form=LocalOverrideForm() if "set_locality" in actions else None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    require_staff(actor())
    form = OrganizationForm()
    done = submit_form(form, lambda data: organizations.create_organization(data, actor()), _("单位已登记。"),
                       lambda org: url_for("orgs.detail", org_id=org.id), once=True)
    return done or render_template("orgs/form.html", form=form, org=None)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int) -> str | Response:
    require_staff(actor())
    org = organizations.get_organization(org_id)
    form = OrganizationForm(obj=org)
    done = submit_form(form, lambda data: organizations.update_organization(org_id, data, actor()), _("修改已保存。"),
                       lambda _saved: url_for("orgs.detail", org_id=org_id))
    return done or render_template("orgs/form.html", form=form, org=org)


@bp.post("/<int:org_id>/locality")
@login_required
def locality(org_id: int) -> str | Response:
    require_staff(actor())
    form = LocalOverrideForm()
    if form.validate_on_submit():
        local = {"yes": True, "no": False}.get(form.local.data or "auto")
        run_action(lambda: organizations.set_local_override(org_id, local, form.reason.data or "", actor()),
                   _("修改已保存。"))
    return redirect(url_for("orgs.detail", org_id=org_id))
