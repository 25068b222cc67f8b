"""Chains: public list, staff editor."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import chains
from matchmaker.services.matching import index as match_index
from matchmaker.services.permissions import actions_for, require_staff
from matchmaker.web.chains.forms import ChainForm
from matchmaker.web.helpers import actor, submit_form

bp = Blueprint("chains", __name__, url_prefix="/chains")


@bp.get("/")
def index() -> str:
    rows = chains.list_chains()
    return render_template("chains/index.html", chains=rows,
                           synonyms={c.id: list(match_index.synonyms_of(c).items()) for c in rows},
                           chain_actions={c.id: actions_for(actor(), c) for c in rows})


@bp.route("/<int:chain_id>/edit", methods=["GET", "POST"])
@login_required
def edit(chain_id: int) -> str | Response:
    require_staff(actor())
    chain = chains.get_chain(chain_id)
    form = ChainForm(obj=chain)
    if request.method == "GET":
        form.terms.data = "\n".join(chain.terms or [])
        form.synonyms.data = chains.synonyms_text(match_index.synonyms_of(chain))
    done = submit_form(form, lambda data: chains.update_chain(chain_id, data, actor()), _("产业链已保存。"),
                       lambda _saved: url_for("chains.index"))
    return done or render_template("chains/edit.html", form=form, chain=chain)
