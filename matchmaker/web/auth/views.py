"""Sign in, sign out, register, API tokens."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker import labels
from matchmaker.extensions import limiter
from matchmaker.security import current_session_id, sign_in, sign_out
from matchmaker.services import accounts, organizations
from matchmaker.services.errors import AuthenticationFailed, ValidationFailed
from matchmaker.services.people import verification
from matchmaker.services.permissions import standing_problem
from matchmaker.services.signin import sessions
from matchmaker.web.auth.forms import ConfirmForm, LoginForm, RegisterForm, TokenForm
from matchmaker.web.helpers import actor, safe_path, select_choices, show_errors

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next() -> str:
    return safe_path(request.args.get("next"), url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data or "", form.password.data or "", request.remote_addr)
        except AuthenticationFailed as exc:
            form.form_errors.append(str(exc.message))
        else:
            sign_in(user)
            flash(_("欢迎回来，%(name)s。", name=user.display_name), "success")
            return redirect(_safe_next())
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    if ConfirmForm().validate_on_submit():
        user = actor()
        if user is not None:
            accounts.record_logout(user)
        sign_out()
        flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register() -> str | Response:
    form = RegisterForm()
    form.org_id.choices = select_choices([("", _("（登记新单位）"))] + [
        (str(o.id), f"{o.name}（{labels.label('org_kind', o.kind)}）")
        for o in organizations.organizations_for_registration()])
    form.org_kind.choices = select_choices((k, labels.ORG_KIND[k]) for k in ("university", "institute", "company"))
    locality = verification.locality_of(form.org_credit_code.data or "") if form.org_credit_code.data else None
    if form.is_submitted() and form.check.data:  # the "check" step: show the derived locality, save nothing
        return render_template("auth/register.html", form=form, locality=locality)
    if form.validate_on_submit():
        try:
            user = accounts.register(form.data)
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            sign_in(user)
            flash(_("注册成功。") + " " + str(standing_problem(user) or ""), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form, locality=locality)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str:
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            _token, created = accounts.create_api_token(actor(), form.name.data or "", scope=form.scope.data,
                                                        expires_days=form.expires_days.data)
        except ValidationFailed as exc:
            show_errors(form, exc)
    return render_template("auth/tokens.html", form=form, created=created, tokens=accounts.tokens_of(actor()),
                           revoke_form=ConfirmForm())


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        accounts.revoke_api_token(token_id, actor())
        flash(_("令牌已作废。"), "info")
    return redirect(url_for("auth.tokens"))


@bp.get("/sessions")
@login_required
def my_sessions() -> str:
    user = actor()
    assert user is not None  # login_required
    return render_template("auth/sessions.html", sessions=sessions.active_for(user, current_session_id()),
                           form=ConfirmForm())


@bp.post("/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    user = actor()
    if user is not None and ConfirmForm().validate_on_submit():
        sessions.end_all(user)
        sign_out()
        flash(_("已在所有设备上退出登录。"), "info")
        return redirect(url_for("main.index"))
    return redirect(url_for("auth.my_sessions"))

