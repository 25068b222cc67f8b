"""Chains: public list, staff editor."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import chains
from matchmaker.services.errors import ValidationFailed
from matchmaker.services.permissions import require_staff
from matchmaker.web.chains.forms import ChainForm
from matchmaker.web.helpers import actor, show_errors

bp = Blueprint("chains", __name__, url_prefix="/chains")


@bp.get("/")
def index() -> str:
    return render_template("chains/index.html", chains=chains.list_chains())


@bp.route("/<int:chain_id>/edit", methods=["GET", "POST"])
@login_required
def edit(chain_id: int) -> str | Response:
    require_staff(actor())
    chain = chains.get_chain(chain_id)
    form = ChainForm(obj=chain)
    if request.method == "GET":
        form.terms.data = "\n".join(chain.terms or [])
    if form.validate_on_submit():
        try:
            chains.update_chain(chain_id, form.data, actor())
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("产业链已保存。"), "success")
            return redirect(url_for("chains.index"))
    return render_template("chains/edit.html", form=form, chain=chain)
