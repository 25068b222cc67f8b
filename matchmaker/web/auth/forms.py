"""Sign-in, registration and API token forms (shape only; the services own the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=128)])
    submit = SubmitField(_l("登录"))


class RegisterForm(FlaskForm):
    role = RadioField(_l("账号类型"), choices=[SelectChoice("researcher", _l("高校/科研院所科研人员")),
                                              SelectChoice("company", _l("企业"))], default="researcher")
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。"))])
    display_name = StringField(_l("姓名"), validators=[Optional(), Length(max=100)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Length(max=120)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。"))])
    confirm = PasswordField(_l("确认密码"), validators=[EqualTo("password", _l("两次输入的密码不一致。"))])
    org_id = SelectField(_l("选择已登记的单位"), choices=[], validate_choice=False)
    org_name = StringField(_l("或登记新单位：单位名称"), validators=[Optional(), Length(max=200)])
    org_kind = SelectField(_l("单位类型"), choices=[], validate_choice=False)
    org_credit_code = StringField(_l("统一社会信用代码"), validators=[Optional(), Length(max=40)])
    org_district = StringField(_l("所在区县"), validators=[Optional(), Length(max=50)])
    check = SubmitField(_l("检查信用代码"))
    submit = SubmitField(_l("注册"))


class TokenForm(FlaskForm):
    name = StringField(_l("令牌用途"), validators=[Optional(), Length(max=100)])
    scope = SelectField(_l("权限"), choices=[SelectChoice("read", _l("只读")), SelectChoice("write", _l("读写"))],
                        default="read")
    expires_days = IntegerField(_l("有效期（天，留空为长期有效）"), validators=[Optional()])
    submit = SubmitField(_l("生成 API 令牌"))


class ConfirmForm(FlaskForm):
    """A bare form for POST-only buttons (logout, revoke, submit, withdraw, publish): the CSRF token only."""

    submit = SubmitField(_l("确认"))
