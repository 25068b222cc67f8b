"""Administration: accounts (admin) and the audit log (staff)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from matchmaker.services import accounts, audit_log
from matchmaker.services.credentials import reset
from matchmaker.services.mail import outbox as mail_outbox
from matchmaker.services.permissions import actions_for
from matchmaker.web.admin.forms import RoleForm
from matchmaker.web.auth.forms import ConfirmForm
from matchmaker.web.helpers import actor, int_arg, page_arg, pages

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
def users() -> str:
    return render_template("admin/users.html", users=accounts.list_users(actor()), role_form=RoleForm(),
                           action_form=ConfirmForm())


@bp.post("/users/<int:user_id>/role")
@login_required
def change_role(user_id: int) -> Response:
    form = RoleForm()
    if form.validate_on_submit():
        accounts.set_role(user_id, form.role.data or "", actor())
        flash(_("角色已修改。"), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
@login_required
def toggle_disabled(user_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        user = accounts.get_user(user_id)
        accounts.set_disabled(user_id, not user.disabled, actor())
        flash(_("账号状态已修改。"), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
@login_required
def unlock(user_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        accounts.unlock(user_id, actor())
        flash(_("账号已解锁。"), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/send-reset")
@login_required
def send_reset(user_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        if reset.send_reset(user_id, actor()):
            flash(_("密码重置邮件已加入发送队列。"), "success")
        else:
            flash(_("未发送：该账号没有电子邮箱，或一小时内已发送过多封重置邮件。"), "warning")
    return redirect(url_for("admin.users"))


@bp.get("/mail")
@login_required
def outbox() -> str:
    status = request.args.get("status", "")
    status = status if status in ("queued", "sent", "failed") else ""
    rows, total, counts = mail_outbox.list_outbox(actor(), status=status, page=page_arg())
    return render_template("admin/outbox.html", rows=rows, total=total, counts=counts, status=status,
                           page=page_arg(), pages=pages(total, 50), action_form=ConfirmForm(),
                           mail_actions={m.id: actions_for(actor(), m) for m in rows})


@bp.post("/mail/<int:mail_id>/retry")
@login_required
def retry_mail(mail_id: int) -> Response:
    if ConfirmForm().validate_on_submit():
        mail_outbox.retry(mail_id, actor())
        flash(_("邮件已重新加入发送队列。"), "success")
    return redirect(url_for("admin.outbox"))


@bp.get("/audit")
@login_required
def audit() -> str:
    entity_type = request.args.get("entity_type", "")[:30]
    rows, total = audit_log.list_entries(actor(), entity_type=entity_type, entity_id=int_arg("entity_id"),
                                         page=page_arg())
    return render_template("admin/audit.html", rows=rows, total=total, page=page_arg(), pages=pages(total, 50),
                           entity_type=entity_type)
