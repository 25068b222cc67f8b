"""Match explanations, chain suggestions while posting, feedback on suggestions, precision per chain."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services.errors import NotFound
from matchmaker.services.matching import feedback
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.postings import lifecycle as postings
from matchmaker.web.helpers import actor
from matchmaker.web.matching.forms import FeedbackForm
from matchmaker.web.matching.highlight import highlight

bp = Blueprint("matching", __name__, url_prefix="/match")


@bp.get("/explain/<int:need_id>/<int:result_id>")
def explain(need_id: int, result_id: int) -> str:
    need = postings.get_posting("need", need_id, actor())
    result = postings.get_posting("result", result_id, actor())
    pair = matching.explain_pair(need, result, actor())  # type: ignore[arg-type]
    spans = pair.explanation
    return render_template("matching/explain.html", pair=pair, highlight=highlight,
                           need_spans=spans.query_spans if spans else (),
                           result_spans=spans.doc_spans if spans else ())


@bp.get("/chains")
def chain_suggestions() -> Response:
    """JSON for the posting form: the likely chains of the text typed so far."""
    text = request.args.get("text", "")[:5000]
    found = matching.suggest_chains(text)
    return jsonify([{"id": c.id, "name": c.name, "score": round(s, 3)} for c, s in found])


@bp.post("/feedback")
@login_required
def record_feedback() -> Response:
    form = FeedbackForm()
    kind = form.source_kind.data or ""
    if not form.validate_on_submit() or not all(
            (v or "").isdigit() for v in (form.source_id.data, form.target_id.data, form.rank.data)):
        raise NotFound(_("找不到该记录。"))
    feedback.record_feedback(actor(), kind, int(form.source_id.data or 0), int(form.target_id.data or 0),
                             form.useful.data == "1", int(form.rank.data or 0))
    flash(_("感谢反馈。"), "success")
    endpoint = "results.detail" if kind == "result" else "needs.detail"
    return redirect(url_for(endpoint, posting_id=int(form.source_id.data or 0)) + "#suggestions")


@bp.get("/precision")
@login_required
def precision() -> str:
    return render_template("matching/precision.html", rows=feedback.precision_at_5(actor()))
