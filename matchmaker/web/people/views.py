"""Staff verify organizations; managers and staff decide join requests; managers edit the profile; locality check."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import organizations
from matchmaker.services.people import memberships, verification
from matchmaker.services.permissions import is_staff, manages, require_staff
from matchmaker.web.helpers import actor, run_action, safe_path, submit_form
from matchmaker.web.people.forms import ProfileForm, ReasonForm

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.get("/verification")
@login_required
def verification_queue() -> str:
    return render_template("people/verification.html", rows=verification.verification_queue(actor()),
                           form=ReasonForm())


@bp.post("/verification/<int:org_id>/<decision>")
@login_required
def decide_org(org_id: int, decision: str) -> Response:
    require_staff(actor())
    form = ReasonForm()
    deciders = {"verify": lambda: verification.verify_organization(org_id, actor()),
                "reject": lambda: verification.reject_organization(org_id, form.reason.data, actor()),
                "changes": lambda: verification.request_changes(org_id, form.reason.data, actor())}
    if decision not in deciders:
        abort(404)
    if form.validate_on_submit():
        run_action(deciders[decision], _("已处理。"))
    return redirect(url_for("people.verification_queue"))


@bp.get("/members")
@login_required
def members() -> str:
    return render_template("people/members.html", rows=memberships.join_queue(actor()), form=ReasonForm(),
                           may_name_managers=memberships.may_name_managers(actor()))


@bp.post("/members/<int:membership_id>/<decision>")
@login_required
def decide_member(membership_id: int, decision: str) -> Response:
    form = ReasonForm()
    deciders = {"approve": lambda: memberships.decide_join(membership_id, True, actor(), form.reason.data or ""),
                "reject": lambda: memberships.decide_join(membership_id, False, actor(), form.reason.data or ""),
                "manager": lambda: memberships.set_manager(membership_id, True, actor()),
                "member": lambda: memberships.set_manager(membership_id, False, actor())}
    if decision not in deciders:
        abort(404)
    if form.validate_on_submit():
        deciders[decision]()
        flash(_("已处理。"), "success")
    return redirect(safe_path(request.form.get("next"), url_for("people.members")))


@bp.get("/orgs/<int:org_id>/members")
@login_required
def org_members(org_id: int) -> str:
    return render_template("people/org_members.html", roster=memberships.roster(org_id, actor()),
                           form=ReasonForm())


@bp.route("/orgs/<int:org_id>/profile", methods=["GET", "POST"])
@login_required
def profile(org_id: int) -> str | Response:
    org = organizations.get_visible_organization(org_id, actor())
    if not (manages(actor(), org_id) or is_staff(actor())):
        abort(403)
    form = ProfileForm(obj=org)
    done = submit_form(form, lambda data: memberships.update_profile(org_id, data, actor()), _("单位信息已保存。"),
                       lambda _saved: url_for("orgs.detail", org_id=org_id))
    return done or render_template("people/profile.html", form=form, org=org)


@bp.get("/locality")
def locality() -> Response:
    """JSON for the registration page: is this credit code valid, and is it 本地 or 外地 and why."""
    return jsonify(asdict(verification.locality_of(request.args.get("code", "")[:40])))
