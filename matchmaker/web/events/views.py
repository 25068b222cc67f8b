"""对接活动 pages for staff: list, create and edit, status, planning lists, invitations and check-in."""
from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker import labels
from matchmaker.services import chains
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import events, registrations
from matchmaker.services.events.events import EventFilter
from matchmaker.services.permissions import STAFF_SET_STATUSES, actions_for, require_staff
from matchmaker.services.postings.lifecycle import PostingFilter
from matchmaker.services.search import organizations as search_orgs
from matchmaker.services.search import postings as search
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.events.blueprint import bp
from matchmaker.web.events.forms import EventForm, InvitationStatusForm, ListsForm, StatusForm
from matchmaker.web.helpers import (
    actor,
    chain_choices,
    form_data,
    int_arg,
    run_action,
    safe_path,
    select_choices,
    submit_form,
)


@bp.before_request
@login_required
def _staff_only() -> None:
    require_staff(actor())


def back(default: str) -> str:
    """A same-site path from the form's `next`, else the default."""
    return safe_path(request.form.get("next"), default)


@bp.get("/")
def index() -> str:
    flt = EventFilter(status=request.args.get("status", "")[:20], type=request.args.get("type", "")[:20],
                      year=int_arg("year"))
    return render_template("events/index.html", rows=events.list_events(actor(), flt), flt=flt)


def _event_form(obj: events.Event | None = None) -> EventForm:
    form = EventForm()
    form.chain_ids.choices = select_choices(chain_choices())
    if obj is not None and request.method == "GET":
        for name in ("name", "type", "venue", "description", "is_public", "requires_approval"):
            getattr(form, name).data = getattr(obj, name)
        form.chain_ids.data = [str(i) for i in obj.chain_ids or []]
        form.starts_at.data = obj.starts_at.strftime("%Y-%m-%dT%H:%M")
        for name in ("capacity", "slot_minutes", "slot_count", "table_count", "meeting_cap"):
            getattr(form, name).data = "" if getattr(obj, name) is None else str(getattr(obj, name))
    return form


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response:
    form = _event_form()
    done = submit_form(form, lambda data: events.create_event(data, actor()), _("活动已创建。"),
                       lambda event: url_for(".detail", event_id=event.id), once=True)
    return done or render_template("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int) -> str | Response:
    event = events.get_event(event_id, actor())
    form = _event_form(event)
    done = submit_form(form, lambda data: events.update_event(event_id, data, actor()), _("修改已保存。"),
                       lambda _saved: url_for(".detail", event_id=event_id))
    return done or render_template("events/form.html", form=form, event=event)


@bp.get("/<int:event_id>")
def detail(event_id: int) -> str:
    event = events.get_event(event_id, actor())
    return render_template("events/detail.html", event=event, action_form=ConfirmForm(),
                           status_form=InvitationStatusForm(), chain_names={c.id: c.name for c in chains.list_chains()},
                           registrations=registrations.staff_registrations(event),
                           places_taken=registrations.places_taken(event),
                           result_titles={p.result_id: p.result.title for p in event.presentations}, **_actions(event))


def _actions(event: Any) -> dict[str, Any]:
    """What the actor may do to the event and to each invitation (by organization id)."""
    return {"actions": actions_for(actor(), event),
            "staff_status_options": [(s, labels.label("invitation_status", s)) for s in STAFF_SET_STATUSES],
            "invitation_actions": {i.org_id: actions_for(actor(), i) for i in event.invitations}}


@bp.post("/<int:event_id>/status")
def set_status(event_id: int) -> Response:
    form = StatusForm()
    if form.validate_on_submit():
        run_action(lambda: events.set_event_status(event_id, form.status.data or "", actor()), _("活动状态已更新。"))
    return redirect(url_for(".detail", event_id=event_id))


@bp.get("/<int:event_id>/plan")
def plan(event_id: int) -> str:
    event = events.get_event(event_id, actor())
    rq, oq = request.args.get("rq", "").strip(), request.args.get("oq", "").strip()
    found_results = [f.item for f in search.search_postings("result", PostingFilter(q=rq)).items] if rq else []
    found_orgs = [f.item for f in search_orgs.search_organizations(q=oq).items] if oq else []
    return render_template("events/plan.html", event=event, proposals=agenda_planning.propose(event_id, actor()),
                           form=ListsForm(), rq=rq, oq=oq, found_results=found_results, found_orgs=found_orgs,
                           action_form=ConfirmForm(), actions=actions_for(actor(), event))


@bp.post("/<int:event_id>/lists")
def add_lists(event_id: int) -> Response:
    form = ListsForm()
    if form.validate_on_submit():
        run_action(lambda: agenda_planning.accept_proposals(event_id, form_data(form), actor()),
                   lambda added: _("已加入 %(r)d 项成果、%(o)d 家单位。", r=added[0], o=added[1]))
    return redirect(back(url_for(".plan", event_id=event_id)))


@bp.post("/<int:event_id>/results/<int:result_id>/remove")
def remove_result(event_id: int, result_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        run_action(lambda: events.remove_presented(event_id, result_id, actor()), _("已移出展示名单。"),
                   success_category="info")
    return redirect(url_for(".detail", event_id=event_id) + "#presented")


@bp.post("/<int:event_id>/invitations/<int:org_id>/remove")
def remove_invitation(event_id: int, org_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        run_action(lambda: events.uninvite(event_id, org_id, actor()), _("已移出邀请名单。"), success_category="info")
    return redirect(url_for(".detail", event_id=event_id) + "#invitations")


@bp.post("/<int:event_id>/invitations/<int:org_id>/status")
def invitation_status(event_id: int, org_id: int) -> Response:
    form = InvitationStatusForm()
    if form.validate_on_submit():
        run_action(lambda: events.set_invitation_status(event_id, org_id, form.status.data or "", actor()))
    return redirect(back(url_for(".detail", event_id=event_id) + "#invitations"))


@bp.get("/<int:event_id>/checkin")
def checkin(event_id: int) -> str:
    event = events.get_event(event_id, actor())
    return render_template("events/checkin.html", event=event, action_form=ConfirmForm(),
                           status_form=InvitationStatusForm(), **_actions(event))


@bp.post("/<int:event_id>/checkin/<int:org_id>")
def check_in(event_id: int, org_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        run_action(lambda: events.check_in(event_id, org_id, actor()),
                   lambda invitation: _("%(org)s 已签到。", org=invitation.org.name))
    return redirect(url_for(".checkin", event_id=event_id) + f"#org-{org_id}")
