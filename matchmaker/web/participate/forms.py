"""Participant forms: registration (also accepting an invitation), answering by e-mail link, the door."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.web.postings.forms import CheckboxesField


class RegistrationForm(FlaskForm):
    attendees = TextAreaField(_l("参会人员"), validators=[Length(max=1000)],
                              description=_l("每行一位：姓名（职务）"))
    headcount = StringField(_l("参会人数"), default="1", validators=[Length(max=4)],
                            render_kw={"inputmode": "numeric"})
    interest_result_ids = CheckboxesField(_l("感兴趣的展示成果"), choices=[], validate_choice=False)
    interest_need_ids = CheckboxesField(_l("本单位带来的技术需求"), choices=[], validate_choice=False)
    submit = SubmitField(_l("提交报名"))


class CodeForm(FlaskForm):
    code = StringField(_l("签到码"), validators=[Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    submit = SubmitField(_l("签到"))
