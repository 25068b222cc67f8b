"""Staff side of registrations: approve or decline, the phone check-in page (code typed or scanned), walk-ins."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from matchmaker.services.errors import Conflict, NotFound, ValidationFailed
from matchmaker.services.events import checkin, events, registrations
from matchmaker.services.search import organizations as search_orgs
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.events.blueprint import bp
from matchmaker.web.helpers import actor, int_arg, run_action
from matchmaker.web.participate.forms import CodeForm

REFUSED = (Conflict, NotFound, ValidationFailed)


@bp.post("/registrations/<int:registration_id>/approve")
def approve_registration(registration_id: int) -> Response:
    row = registrations.get_registration(registration_id, actor())
    if ConfirmForm().validate_on_submit():
        run_action(lambda: registrations.approve(registration_id, actor()),
                   lambda r: _("已通过 %(org)s 的报名（%(status)s）。", org=r.org.name,
                               status=registrations.status_label(r.status)))
    return redirect(url_for(".detail", event_id=row.event_id) + "#registrations")


@bp.post("/registrations/<int:registration_id>/decline")
def decline_registration(registration_id: int) -> Response:
    row = registrations.get_registration(registration_id, actor())
    if ConfirmForm().validate_on_submit():
        run_action(lambda: registrations.decline(registration_id, actor()),
                   lambda r: _("已拒绝 %(org)s 的报名。", org=r.org.name), success_category="info")
    return redirect(url_for(".detail", event_id=row.event_id) + "#registrations")


@bp.route("/<int:event_id>/scan", methods=["GET", "POST"])
def scan(event_id: int) -> str | Response:
    """The staff phone page: type or scan a confirmation's code; walk-ins are added below."""
    event = events.get_event(event_id, actor())
    form = CodeForm()
    if form.validate_on_submit():
        row = run_action(lambda: checkin.check_in_by_code(event_id, form.code.data or "", actor()), catch=REFUSED)
        if row is not None:
            flash(_("%(org)s 已签到。", org=row.org.name), "success")
        return redirect(url_for(".scan", event_id=event_id))
    oq = request.args.get("oq", "").strip()[:100]
    found = [f.item for f in search_orgs.search_organizations(q=oq).items][:10] if oq else []
    return render_template("events/scan.html", event=event, form=form, found=found, oq=oq,
                           counts=checkin.door_counts(event), action_form=ConfirmForm())


@bp.post("/<int:event_id>/walk-in")
def add_walk_in(event_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        run_action(lambda: checkin.add_walk_in(event_id, int_arg("org_id"), actor()),
                   lambda r: _("已添加现场单位 %(org)s 并签到。", org=r.org.name), catch=REFUSED)
    return redirect(url_for(".scan", event_id=event_id))
