"""The 1:1 agenda pages: view, build, print, Excel export, and per-meeting move, remove and outcome."""
from __future__ import annotations

from flask import Response as FlaskResponse
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from matchmaker.services.deals import intents
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import agenda_lists, events
from matchmaker.services.permissions import actions_for
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.events.blueprint import bp
from matchmaker.web.events.export import agenda_workbook
from matchmaker.web.events.forms import BuildAgendaForm, MoveForm, OutcomeForm
from matchmaker.web.helpers import actor, form_data, run_action, select_choices


def _move_form(grid: events.AgendaGrid) -> MoveForm:
    form = MoveForm()
    form.slot.choices = select_choices((i, t.strftime("%H:%M")) for i, t in enumerate(grid.times)
                                       if i < grid.event.slot_count)
    return form


@bp.get("/<int:event_id>/agenda")
def agenda(event_id: int) -> str:
    grid = events.agenda(event_id, actor())
    return render_template("events/agenda.html", grid=grid, event=grid.event, build_form=BuildAgendaForm(),
                           move_form=_move_form(grid), outcome_form=OutcomeForm(), action_form=ConfirmForm(),
                           actions=actions_for(actor(), grid.event))


@bp.post("/<int:event_id>/agenda/build")
def build(event_id: int) -> Response:
    form = BuildAgendaForm()
    if form.validate_on_submit():
        summary = run_action(lambda: agenda_planning.build_agenda(event_id, form.mode.data != "discard", actor()))
        if summary is not None:
            flash(_("日程已生成：新安排 %(n)d 场，保留 %(k)d 场，未能安排的候选 %(u)d 个。",
                    n=summary.placed, k=summary.kept, u=summary.unscheduled), "success")
            if summary.agreed:
                flash(_("其中已约定的洽谈 %(n)d 场（双方在约见中同意）均已排入。", n=summary.agreed), "info")
            if summary.unplaced:
                flash(_("未能安排：%(names)s", names=agenda_lists.summary_names(summary.unplaced)), "warning")
            if summary.invited:
                flash(_("有洽谈的单位已加入邀请名单（签到时可见）：%(names)s", names="、".join(summary.invited)),
                      "info")
    return redirect(url_for(".agenda", event_id=event_id))


@bp.get("/<int:event_id>/agenda/print")
def agenda_print(event_id: int) -> str:
    grid = events.agenda(event_id, actor())
    return render_template("events/agenda_print.html", grid=grid, event=grid.event)


@bp.get("/<int:event_id>/agenda.xlsx")
def agenda_export(event_id: int) -> FlaskResponse:
    grid = events.agenda(event_id, actor())
    name = f"agenda-{event_id}-{grid.event.starts_at:%Y%m%d}.xlsx"
    return FlaskResponse(agenda_workbook(grid), headers={"Content-Disposition": f'attachment; filename="{name}"'},
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/meetings/<int:meeting_id>/move")
def move(meeting_id: int) -> Response:
    form = MoveForm()
    if form.validate_on_submit():
        run_action(lambda: agenda_planning.move_meeting(meeting_id, form_data(form), actor()),
                   lambda meeting: _("已调整到 %(time)s 第 %(t)d 桌。",
                                     time=events.slot_time(meeting.event, meeting.slot).strftime("%H:%M"),
                                     t=meeting.table_no))
    return redirect(url_for(".agenda", event_id=agenda_planning.get_meeting(meeting_id, actor()).event_id))


@bp.post("/meetings/<int:meeting_id>/remove")
def remove(meeting_id: int) -> Response:
    event_id = agenda_planning.get_meeting(meeting_id, actor()).event_id
    if ConfirmForm().validate_on_submit():
        run_action(lambda: agenda_planning.remove_meeting(meeting_id, actor()), _("已从日程中删除。"),
                   success_category="info")
    return redirect(url_for(".agenda", event_id=event_id))


@bp.post("/meetings/<int:meeting_id>/outcome")
def outcome(meeting_id: int) -> Response:
    form = OutcomeForm()
    if form.validate_on_submit():
        meeting = run_action(lambda: intents.set_meeting_outcome(meeting_id, form.outcome.data or "", actor()))
        if meeting is not None:
            if form.outcome.data == "intent":
                return redirect(url_for("deals.new_intent", meeting_id=meeting.id))
            flash(_("洽谈结果已记录。"), "success")
    return redirect(url_for(".agenda", event_id=agenda_planning.get_meeting(meeting_id, actor()).event_id))
