"""对接活动 pages for participants (under /activities): public list and page, registration, answering an
invitation (also from the e-mail's signed link), 我的活动 with the QR code, print view and .ics, self check-in."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from matchmaker.extensions import limiter
from matchmaker.models import Event
from matchmaker.services import chains
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.events import checkin, registrations, schedule
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, form_data, page_arg, pages, run_action, select_choices, show_errors
from matchmaker.web.participate.forms import CodeForm, RegistrationForm

bp = Blueprint("participate", __name__, url_prefix="/activities")
REFUSED = (Conflict, PermissionDenied, NotFound)


@bp.get("/")
def index() -> str:
    page = page_arg()
    per_page = int(current_app.config["PAGE_SIZE"])
    rows, total = registrations.public_events(page, per_page)
    return render_template("participate/index.html", rows=rows, page=page, pages=pages(total, per_page),
                           chain_names=_chain_names())


def _chain_names() -> dict[int, str]:
    return {c.id: c.name for c in chains.list_chains()}


def _registration_form(event: Event, form_class: type[RegistrationForm] = RegistrationForm) -> RegistrationForm:
    form = form_class()
    form.interest_result_ids.choices = select_choices((r.id, r.title) for r in registrations.presented_results(event))
    form.interest_need_ids.choices = select_choices((n.id, n.title) for n in registrations.own_needs(actor()))
    return form


def _detail(event: Event, form: RegistrationForm | None = None) -> str:
    row = registrations.own_registration(event, actor())
    acts = registrations.registration_actions(actor(), event)
    problem = registrations.registration_problem(actor(), event)
    return render_template("participate/detail.html", event=event, form=form or _registration_form(event),
                           registration=row if "see_registration" in acts else None, reg_actions=acts,
                           results=registrations.presented_results(event), chain_names=_chain_names(),
                           places_left=registrations.places_left(event), action_form=ConfirmForm(),
                           problem=problem)


@bp.get("/<int:event_id>")
def detail(event_id: int) -> str:
    return _detail(registrations.get_public_event(event_id, actor()))


@bp.post("/<int:event_id>/register")
@login_required
def register(event_id: int) -> str | Response:
    """Register the organization, or accept its invitation (the same details)."""
    event = registrations.get_public_event(event_id, actor())
    form = _registration_form(event)
    if not form.validate_on_submit():
        return _detail(event, form)
    try:
        row = registrations.register(event_id, form_data(form), actor())
    except ValidationFailed as exc:
        show_errors(form, exc)
        return _detail(event, form)
    except REFUSED as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for(".detail", event_id=event_id))
    flash(_status_message(row.status), "success" if row.status == "registered" else "info")
    return redirect(url_for(".my_event", event_id=event_id))


def _status_message(status: str) -> str:
    return {"registered": _("报名成功，请保存签到二维码。"), "pending": _("报名已提交，等待科技局审核。"),
            "waitlisted": _("活动名额已满，贵单位已进入候补名单，有空位时会通知您。")}.get(status, _("已提交。"))


@bp.post("/<int:event_id>/decline")
@login_required
def decline_invitation(event_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        run_action(lambda: registrations.decline_invitation(event_id, actor()), _("已婉拒邀请。"),
                   success_category="info", catch=(Conflict, NotFound, PermissionDenied))
    return redirect(url_for(".detail", event_id=event_id))


@bp.post("/registrations/<int:registration_id>/cancel")
@login_required
def cancel(registration_id: int) -> Response:
    row = registrations.get_registration(registration_id, actor())
    if ConfirmForm().validate_on_submit():
        run_action(lambda: registrations.cancel(registration_id, actor()), _("报名已撤销。"), success_category="info",
                   catch=(Conflict, PermissionDenied))
    return redirect(url_for(".my_event", event_id=row.event_id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def answer(token: str) -> str | Response | tuple[str, int]:
    """The invitation e-mail's link: no sign-in; shows the event and a form to accept or decline (POST only)."""
    try:
        row = registrations.invitation_from_token(token)
    except registrations.AnswerLinkInvalid as exc:
        return render_template("participate/answer.html", row=None, message=str(exc.message)), 400
    form = RegistrationForm()
    form.interest_result_ids.choices = select_choices(
        (r.id, r.title) for r in registrations.presented_results(row.event))
    form.interest_need_ids.choices = []
    if form.validate_on_submit():
        try:
            # which of the two buttons was pressed: accept (with the details) or decline
            registrations.answer_by_token(token, request.form.get("answer", "")[:10], form_data(form))
        except ValidationFailed as exc:
            show_errors(form, exc)
        except REFUSED as exc:
            flash(str(exc.message), "danger")
            return redirect(url_for(".answer", token=token))
        else:
            flash(_("已婉拒邀请。") if row.status == "declined" else _status_message(row.status), "success")
            return redirect(url_for(".answer", token=token))
    return render_template("participate/answer.html", row=row, event=row.event, form=form,
                           results=registrations.presented_results(row.event), token=token,
                           code_svg=_qr(row.checkin_code) if row.status in ("registered", "attended") else None)


def _qr(code: str | None) -> Markup | None:
    # segno writes the SVG from the code alone (letters and digits): nothing user-typed reaches the markup
    return Markup(schedule.qr_svg(code)) if code else None  # noqa: S704


@bp.get("/mine")
@login_required
def mine() -> str:
    page = page_arg()
    per_page = int(current_app.config["PAGE_SIZE"])
    rows, total = registrations.my_registrations(actor(), page, per_page)
    return render_template("participate/mine.html", rows=rows, page=page, pages=pages(total, per_page))


def _mine_context(event_id: int) -> dict[str, Any]:
    part = registrations.my_event(event_id, actor())
    row = part.registration
    has_place = row is not None and row.status in ("registered", "attended")
    return {"part": part, "event": part.event, "registration": row,
            "code": schedule.show_code(row.checkin_code) if has_place and row else "",
            "code_svg": _qr(row.checkin_code) if has_place and row else None,
            "may_cancel": "cancel" in registrations.registration_actions(actor(), part.event)}


@bp.get("/<int:event_id>/mine")
@login_required
def my_event(event_id: int) -> str:
    return render_template("participate/my_event.html", action_form=ConfirmForm(), **_mine_context(event_id))


@bp.get("/<int:event_id>/mine/print")
@login_required
def my_event_print(event_id: int) -> str:
    return render_template("participate/print.html", **_mine_context(event_id))


@bp.get("/<int:event_id>/mine/schedule.ics")
@login_required
def my_event_ics(event_id: int) -> Response:
    part = registrations.my_event(event_id, actor())
    response = make_response(schedule.schedule_ics(part.event, part.org_id, part.meetings))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event_id}.ics"'
    return response


@bp.route("/<int:event_id>/door", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["DOOR_CHECKIN_LIMIT"], methods=["POST"])
def door(event_id: int) -> str | Response:
    """Self check-in at the door: anyone there may open it and enter or scan a confirmation's code."""
    event = checkin.door_event(event_id)
    form = CodeForm()
    if form.validate_on_submit():
        row = run_action(lambda: checkin.self_check_in(event_id, form.code.data or ""),
                         catch=(Conflict, NotFound, ValidationFailed))
        if row is not None:
            flash(_("%(org)s 签到成功，欢迎！", org=row.org.name), "success")
        return redirect(url_for(".door", event_id=event_id))
    return render_template("participate/door.html", event=event, form=form, open=checkin.door_open(event))
