"""Account self-service forms (shape only; the services own the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码。")), Length(max=128)])
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。")), Length(max=128)])
    confirm = PasswordField(_l("确认新密码"), validators=[DataRequired(_l("请再次输入新密码。")), Length(max=128)])
    submit = SubmitField(_l("修改密码"))


class ForgotPasswordForm(FlaskForm):
    email = StringField(_l("注册时填写的电子邮箱"), validators=[DataRequired(_l("请输入电子邮箱。")), Length(max=120)])
    submit = SubmitField(_l("发送重置链接"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。")), Length(max=128)])
    confirm = PasswordField(_l("确认新密码"), validators=[DataRequired(_l("请再次输入新密码。")), Length(max=128)])
    submit = SubmitField(_l("设置新密码"))


class PreferencesForm(FlaskForm):
    email_kinds = SelectMultipleField(_l("同时发送邮件的通知"), choices=[], validate_choice=False,
                                      widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    language = RadioField(_l("邮件语言"), choices=[], validate_choice=False)
    submit = SubmitField(_l("保存设置"))
