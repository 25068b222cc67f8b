"""我的订阅 pages: list, subscribe to a search or to a posting's new matches, delete, the e-mail frequency;
the one-click unsubscribe link (no sign-in) and the staff figures per chain."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.extensions import csrf
from matchmaker.services.alerts import mails, stats, subscriptions
from matchmaker.services.errors import ValidationFailed
from matchmaker.web.alerts.forms import FrequencyForm, SearchSubscriptionForm, WatchForm
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, chain_choices, select_choices, submit_form

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
SEARCH_ARGS = ("q", "target_kind", "chain_id", "trl_min", "trl_max", "mode")


@bp.get("/")
@login_required
def index() -> str:
    form = FrequencyForm(frequency=subscriptions.frequency_of(actor()))  # type: ignore[arg-type]
    return render_template("alerts/index.html", rows=subscriptions.list_subscriptions(actor()),
                           frequency_form=form, action_form=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    """订阅此搜索: the search page's query and filters arrive in the query string; the person confirms."""
    form = SearchSubscriptionForm(data={k: request.args.get(k, "")[:100] for k in SEARCH_ARGS})
    form.chain_id.choices = select_choices(chain_choices(blank=_("不限")))

    def save(data: dict[str, object]) -> object:
        return subscriptions.create_subscription({**data, "kind": "search"}, actor())

    done = submit_form(form, save, _("已订阅此搜索：有新匹配时会提醒您。"), lambda _s: url_for(".index"), once=True)
    return done or render_template("alerts/new.html", form=form)


@bp.route("/watch/<any(result, need):kind>/<int:posting_id>", methods=["GET", "POST"])
@login_required
def watch(kind: str, posting_id: int) -> str | Response:
    """新匹配提醒 for one of the actor's own postings, above a pair score."""
    values = subscriptions.watch_form_values(kind, posting_id, actor())
    form = WatchForm(data=values)

    def save(data: dict[str, object]) -> object:
        return subscriptions.create_subscription({**data, "kind": "posting"}, actor())

    done = submit_form(form, save, _("已开启新匹配提醒。"), lambda _s: url_for(".index"), once=True)
    return done or render_template("alerts/watch.html", form=form, title=values["title"])


@bp.post("/<int:subscription_id>/delete")
@login_required
def delete(subscription_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        subscriptions.delete_subscription(subscription_id, actor())
        flash(_("订阅已删除。"), "success")
    return redirect(url_for(".index"))


@bp.post("/frequency")
@login_required
def frequency() -> Response:
    form = FrequencyForm()
    if form.validate_on_submit():
        try:
            subscriptions.set_frequency({"frequency": form.frequency.data}, actor())
        except ValidationFailed as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("邮件频率已保存。"), "success")
    return redirect(url_for(".index"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential: a mail client's RFC 8058 one-click POST carries no form token
def unsubscribe(token: str) -> str | tuple[str, int]:
    """The e-mail's unsubscribe link (no sign-in): GET shows what it turns off and a button; POST turns it off."""
    try:
        target = mails.unsubscribe(token) if request.method == "POST" else mails.read_token(token)
    except mails.UnsubscribeInvalid:
        return render_template("alerts/unsubscribed.html", ok=False), 400
    sub = target.subscription
    return render_template("alerts/unsubscribed.html", ok=True, done=request.method == "POST",
                           description=subscriptions.describe(sub) if sub is not None else None)


@bp.get("/staff")
@login_required
def staff() -> str:
    return render_template("alerts/staff.html", rows=stats.figures_by_chain(actor()))
