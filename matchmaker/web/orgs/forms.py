from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker import labels
from matchmaker.web.forms import OnceForm
from matchmaker.web.helpers import select_choices


class ProfileForm(FlaskForm):
    """An organization's own profile (what its managers edit); staff's OrganizationForm adds the kind."""

    name = StringField(_l("单位名称"), validators=[Length(max=200)])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Length(max=40)])
    district = StringField(_l("所在区县"), validators=[Length(max=50)])
    address = StringField(_l("地址"), validators=[Length(max=200)])
    contact_name = StringField(_l("联系人"), validators=[Length(max=50)])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=30)])
    contact_email = StringField(_l("电子邮箱"), validators=[Length(max=120)])
    description = TextAreaField(_l("简介"), validators=[Length(max=2000)])
    submit = SubmitField(_l("保存"))


class OrganizationForm(OnceForm, ProfileForm):
    kind = SelectField(_l("单位类型"), choices=lambda: select_choices(labels.options("org_kind")),
                       validate_choice=False)


class LocalOverrideForm(FlaskForm):
    local = SelectField(_l("是否本地"), validate_choice=False, choices=lambda: select_choices(
        [("auto", _l("按信用代码自动判断")), ("yes", _l("本地")), ("no", _l("非本地"))]))
    reason = StringField(_l("理由"), validators=[Length(max=500)])
    submit = SubmitField(_l("保存"))
