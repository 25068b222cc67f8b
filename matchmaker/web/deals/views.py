"""合作意向 and 成果转化 pages for staff: lists with filters, forms, status, follow-up notes."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import fields
from matchmaker.services.deals import intents, transfers
from matchmaker.services.deals.intents import IntentFilter
from matchmaker.services.deals.transfers import TransferFilter
from matchmaker.services.errors import ValidationFailed
from matchmaker.services.events import events
from matchmaker.services.permissions import actions_for, require_staff
from matchmaker.web.deals import choices
from matchmaker.web.deals.forms import IntentForm, IntentStatusForm, NoteForm, TransferForm
from matchmaker.web.helpers import (
    actor,
    created,
    form_data,
    int_arg,
    replayed,
    run_action,
    select_choices,
    show_errors,
    submit_form,
)

bp = Blueprint("deals", __name__, url_prefix="/deals")


@bp.before_request
@login_required
def _staff_only() -> None:
    require_staff(actor())


def _with_choices(form: Any) -> Any:
    options = choices.form_options(actor())
    for name, pairs in options.items():
        if hasattr(form, name):
            getattr(form, name).choices = select_choices(pairs)
    return form


def _fill(form: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if hasattr(form, name):
            getattr(form, name).data = "" if value is None else str(value)


@bp.get("/intents", endpoint="intents")
def intents_list() -> str:
    flt = IntentFilter(status=request.args.get("status", "")[:20], event_id=int_arg("event_id"),
                       stale=request.args.get("stale") == "1", year=int_arg("year"))
    return render_template("deals/intents.html", rows=intents.list_intents(actor(), flt), flt=flt,
                           events=events.list_events(actor()), is_stale=intents.is_stale)


@bp.route("/intents/new", methods=["GET", "POST"])
def new_intent() -> str | Response:
    form = _with_choices(IntentForm())
    if request.method == "GET":
        meeting_id = int_arg("meeting_id")
        _fill(form, choices.prefill_from_meeting(intents.get_meeting(meeting_id, actor())) if meeting_id
              else {"logged_on": fields.today()})
    done = submit_form(form, lambda data: intents.create_intent(data, actor()), _("合作意向已登记。"),
                       lambda intent: url_for(".intent_detail", intent_id=intent.id), once=True)
    return done or render_template("deals/intent_form.html", form=form, intent=None)


@bp.route("/intents/<int:intent_id>/edit", methods=["GET", "POST"])
def edit_intent(intent_id: int) -> str | Response:
    intent = intents.get_intent(intent_id, actor())
    form = _with_choices(IntentForm())
    if request.method == "GET":
        _fill(form, {k: getattr(intent, k) for k in ("result_id", "company_id", "need_id", "event_id", "meeting_id",
                                                     "logged_on", "mode", "amount_wan")})
    done = submit_form(form, lambda data: intents.update_intent(intent_id, data, actor()), _("修改已保存。"),
                       lambda _saved: url_for(".intent_detail", intent_id=intent_id))
    return done or render_template("deals/intent_form.html", form=form, intent=intent)


@bp.get("/intents/<int:intent_id>")
def intent_detail(intent_id: int) -> str:
    intent = intents.get_intent(intent_id, actor())
    note_form = NoteForm(formdata=None, noted_on=fields.today().isoformat())
    return render_template("deals/intent_detail.html", intent=intent, note_form=note_form,
                           status_form=IntentStatusForm(), transitions=intents.TRANSITIONS[intent.status],
                           stale=intents.is_stale(intent), actions=actions_for(actor(), intent))


@bp.post("/intents/<int:intent_id>/status")
def intent_status(intent_id: int) -> Response:
    form = IntentStatusForm()
    if form.validate_on_submit():
        run_action(lambda: intents.set_intent_status(intent_id, form.status.data or "", actor()), _("状态已更新。"))
    return redirect(url_for(".intent_detail", intent_id=intent_id))


@bp.post("/intents/<int:intent_id>/notes")
def add_note(intent_id: int) -> str | Response:
    form = NoteForm()
    if (done := replayed(form)) is not None:
        return done
    if form.validate_on_submit():
        try:
            intents.add_note(intent_id, form_data(form), actor())
        except ValidationFailed as exc:
            show_errors(form, exc)
            intent = intents.get_intent(intent_id, actor())
            return render_template("deals/intent_detail.html", intent=intent, note_form=form,
                                   status_form=IntentStatusForm(), transitions=intents.TRANSITIONS[intent.status],
                                   stale=intents.is_stale(intent), actions=actions_for(actor(), intent)), 422
        return created(form, url_for(".intent_detail", intent_id=intent_id) + "#notes", _("跟进记录已添加。"))
    return redirect(url_for(".intent_detail", intent_id=intent_id) + "#notes")


@bp.get("/transfers", endpoint="transfers")
def transfers_list() -> str:
    local = {"1": True, "0": False}.get(request.args.get("local", ""))
    flt = TransferFilter(year=int_arg("year"), local=local)
    return render_template("deals/transfers.html", rows=transfers.list_transfers(actor(), flt), flt=flt,
                           is_local=transfers.is_local)


@bp.route("/transfers/new", methods=["GET", "POST"])
def new_transfer() -> str | Response:
    form = _with_choices(TransferForm())
    if request.method == "GET":
        intent_id = int_arg("intent_id")
        _fill(form, choices.prefill_from_intent(intents.get_intent(intent_id, actor())) if intent_id
              else {"signed_on": fields.today()})
    done = submit_form(form, lambda data: transfers.record_transfer(data, actor()),
                       _("转化记录已登记，成果状态已改为“已转化”。"),
                       lambda transfer: url_for(".transfer_detail", transfer_id=transfer.id), once=True)
    return done or render_template("deals/transfer_form.html", form=form, transfer=None)


@bp.route("/transfers/<int:transfer_id>/edit", methods=["GET", "POST"])
def edit_transfer(transfer_id: int) -> str | Response:
    transfer = transfers.get_transfer(transfer_id, actor())
    form = _with_choices(TransferForm())
    if request.method == "GET":
        _fill(form, {k: getattr(transfer, k) for k in ("result_id", "buyer_id", "intent_id", "contract_number",
                                                       "contract_type", "amount_wan", "signed_on",
                                                       "override_reason")})
        form.local.data = {None: "auto", True: "yes", False: "no"}[transfer.local_override]
    done = submit_form(form, lambda data: transfers.update_transfer(transfer_id, data, actor()), _("修改已保存。"),
                       lambda _saved: url_for(".transfer_detail", transfer_id=transfer_id))
    return done or render_template("deals/transfer_form.html", form=form, transfer=transfer)


@bp.get("/transfers/<int:transfer_id>")
def transfer_detail(transfer_id: int) -> str:
    transfer = transfers.get_transfer(transfer_id, actor())
    return render_template("deals/transfer_detail.html", t=transfer, local=transfers.is_local(transfer),
                           derived=transfers.derived_local(transfer))
