"""Organization verification and membership forms (shape only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("理由"), validators=[Length(max=1000)])
    submit = SubmitField(_l("确认"))


class ProfileForm(FlaskForm):
    name = StringField(_l("单位名称"), validators=[Length(max=200)])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Length(max=40)])
    district = StringField(_l("所在区县"), validators=[Length(max=50)])
    address = StringField(_l("地址"), validators=[Length(max=200)])
    contact_name = StringField(_l("联系人"), validators=[Length(max=50)])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=30)])
    contact_email = StringField(_l("电子邮箱"), validators=[Length(max=120)])
    description = TextAreaField(_l("简介"), validators=[Length(max=2000)])
    submit = SubmitField(_l("保存"))
