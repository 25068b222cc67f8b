"""约见 pages. The public event page of the participants' pages links here (活动约见); every decision is made by
services/events/meeting_requests and outcomes, and the templates get the allowed actions as data."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.events import meeting_requests, outcomes
from matchmaker.services.events.events import slot_time
from matchmaker.services.permissions import actions_for
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, form_data, page_arg, pages, run_action
from matchmaker.web.meetings.forms import MeetingRequestForm, ParticipantOutcomeForm

bp = Blueprint("meetings", __name__)
BOXES = ("received", "sent")
REFUSED = (Conflict, ValidationFailed, PermissionDenied, NotFound)
"""Refusals shown as a flash on the page the participant came from (a request or meeting not theirs reads
"not found", so nothing leaks)."""


@bp.get("/activities/<int:event_id>/meet")
def meet(event_id: int) -> str:
    options = meeting_requests.meet_options(event_id, actor())
    return render_template("meetings/meet.html", options=options, event=options.event, form=MeetingRequestForm())


@bp.post("/activities/<int:event_id>/meet")
@login_required
def ask(event_id: int) -> Response:
    form = MeetingRequestForm()
    if form.validate_on_submit():
        done = run_action(lambda: meeting_requests.request_meeting(event_id, form_data(form), actor()),
                          lambda req: _("已向 %(org)s 发出约见，等待对方答复。", org=req.to_org.name), catch=REFUSED)
        if done is None:
            return redirect(url_for(".meet", event_id=event_id))
    return redirect(url_for(".inbox", box="sent", event_id=event_id))


@bp.get("/meeting-requests")
@login_required
def inbox() -> str:
    box = request.args.get("box", "received")
    box = box if box in BOXES else "received"
    event_id = request.args.get("event_id", type=int)
    page = page_arg()
    per_page = int(current_app.config["PAGE_SIZE"])
    rows, total = meeting_requests.list_requests(actor(), event_id=event_id, box=box, page=page, per_page=per_page)
    return render_template("meetings/inbox.html", rows=[(r, actions_for(actor(), r)) for r in rows], box=box,
                           total=total, page=page, pages=pages(total, per_page), event_id=event_id,
                           action_form=ConfirmForm())


ANSWERS = {
    "accept": (meeting_requests.accept_request, lambda: _("已同意约见，将排入活动的洽谈日程。")),
    "decline": (meeting_requests.decline_request, lambda: _("已婉拒该约见。")),
    "withdraw": (meeting_requests.withdraw_request, lambda: _("已撤回该约见。")),
}


@bp.post("/meeting-requests/<int:request_id>/<any(accept, decline, withdraw):action>")
@login_required
def answer(request_id: int, action: str) -> Response:
    service, message = ANSWERS[action]
    box = "sent" if action == "withdraw" else "received"
    if ConfirmForm().validate_on_submit():
        run_action(lambda: service(request_id, actor()), message(), catch=REFUSED)
    return redirect(url_for(".inbox", box=box))


@bp.get("/activities/<int:event_id>/outcomes")
@login_required
def my_outcomes(event_id: int) -> str:
    event, meetings = outcomes.my_meetings(event_id, actor())
    return render_template("meetings/outcomes.html", event=event,
                           rows=[(m, actions_for(actor(), m)) for m in meetings], form=ParticipantOutcomeForm(),
                           times={m.id: slot_time(event, m.slot) for m in meetings},
                           choices=outcomes.PARTICIPANT_OUTCOMES)


@bp.post("/activities/meetings/<int:meeting_id>/outcome")
@login_required
def record_outcome(meeting_id: int) -> Response:
    form = ParticipantOutcomeForm()
    meeting = None
    if form.validate_on_submit():
        meeting = run_action(lambda: outcomes.record_outcome(meeting_id, str(form.outcome.data or ""), actor()),
                             _("洽谈结果已记录。"), catch=REFUSED)
    event_id = meeting.event_id if meeting is not None else request.form.get("event_id", type=int)
    return redirect(url_for(".my_outcomes", event_id=event_id or 0))


@bp.get("/meeting-outcomes/missing")
@login_required
def missing() -> str:
    page = page_arg()
    found = outcomes.missing_outcomes(actor(), page=page)
    return render_template("meetings/missing.html", found=found, page=page, pages=pages(found.total, 50))
