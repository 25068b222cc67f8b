"""Change password, forgot/reset password, verify e-mail, notification preferences."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.extensions import limiter
from matchmaker.security import current_session_id
from matchmaker.services.credentials import password, reset, verify
from matchmaker.services.errors import ValidationFailed
from matchmaker.services.mail import preferences as prefs
from matchmaker.web.account.forms import ChangePasswordForm, ForgotPasswordForm, PreferencesForm, ResetPasswordForm
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, form_data, run_action, select_choices, show_errors

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            password.change_password(actor(), form_data(form), keep_session=current_session_id())
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("密码已修改，其他设备上的登录已退出。"), "success")
            return redirect(url_for("main.index"))
    return render_template("account/change_password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FORGOT_PASSWORD_LIMIT"], methods=["POST"])
def forgot() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.email.data or "")
        return render_template("account/forgot_sent.html")  # the same page whether or not the address exists
    return render_template("account/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    user = reset.user_for_link(token)  # an expired or used link is refused before the form is shown
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(token, form_data(form))
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("新密码已设置，请用新密码登录。"), "success")
            return redirect(url_for("auth.login"))
    return render_template("account/reset.html", form=form, username=user.username)


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str) -> str | Response:
    user = verify.user_for_link(token)  # showing the page changes nothing; the button does
    form = ConfirmForm()
    if form.validate_on_submit():
        verify.verify_email(token)
        flash(_("电子邮箱已验证。"), "success")
        return redirect(url_for("main.index"))
    return render_template("account/verify.html", form=form, username=user.username)


@bp.post("/verify/resend")
@login_required
def resend_verification() -> Response:
    if ConfirmForm().validate_on_submit():
        sent = run_action(lambda: verify.resend(actor()), category="info")  # refused: verified, or no address
        if sent is not None:
            flash(_("验证邮件已发送，请查收。") if sent else _("验证邮件发送过于频繁，请稍后再试。"),
                  "success" if sent else "warning")
    return redirect(url_for("account.preferences"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    current = prefs.preferences_of(actor())
    form = PreferencesForm(data={"email_kinds": [k for k, _label, on in current["kinds"] if on],
                                 "language": current["language"]})
    form.email_kinds.choices = select_choices((k, label) for k, label, _on in current["kinds"])
    form.language.choices = select_choices([("zh_Hans_CN", "中文"), ("en", "English")])
    if form.validate_on_submit():
        try:
            prefs.set_preferences(actor(), form_data(form))
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("通知设置已保存。"), "success")
            return redirect(url_for("account.preferences"))
    return render_template("account/preferences.html", form=form, current=current, resend_form=ConfirmForm())
