"""Event forms: the event itself, its lists, check-in, the agenda and meeting edits (shape only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from matchmaker import labels
from matchmaker.web.forms import OnceForm
from matchmaker.web.helpers import select_choices
from matchmaker.web.postings.forms import CheckboxesField


def _coded(label: object, group: str, blank: bool = False) -> SelectField:
    """A select of one labels.py group's codes."""
    return SelectField(label, choices=lambda: select_choices(([("", "—")] if blank else []) + labels.options(group)),
                       validate_choice=False)


class EventForm(OnceForm):
    name = StringField(_l("活动名称"), validators=[Length(max=200)])
    type = _coded(_l("活动类型"), "event_type")
    starts_at = StringField(_l("开始时间"), validators=[Length(max=20)], render_kw={"type": "datetime-local"})
    venue = StringField(_l("地点"), validators=[Length(max=200)])
    chain_ids = CheckboxesField(_l("聚焦产业链"), choices=[], validate_choice=False)
    capacity = StringField(_l("容纳人数"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"})
    slot_minutes = StringField(_l("每场洽谈时长（分钟）"), default="20", validators=[Length(max=4)])
    slot_count = StringField(_l("洽谈时段数"), default="6", validators=[Length(max=4)])
    table_count = StringField(_l("洽谈桌数"), default="5", validators=[Length(max=4)])
    meeting_cap = StringField(_l("每个单位最多洽谈场数"), default="3", validators=[Length(max=4)])
    description = TextAreaField(_l("活动说明"), validators=[Length(max=5000)])
    is_public = BooleanField(_l("公开活动：在首页和“对接活动”页面展示，已认证单位可在线报名"))
    requires_approval = BooleanField(_l("报名需经工作人员审核"))
    submit = SubmitField(_l("保存"))


class StatusForm(FlaskForm):
    status = HiddenField()


class ListsForm(FlaskForm):
    """Accept proposals or add from search: result ids and organization ids."""

    result_ids = SelectMultipleField(choices=[], validate_choice=False, coerce=str)
    org_ids = SelectMultipleField(choices=[], validate_choice=False, coerce=str)
    submit = SubmitField(_l("加入所选"))


class InvitationStatusForm(FlaskForm):
    status = _coded(_l("状态"), "invitation_status")


class BuildAgendaForm(FlaskForm):
    mode = RadioField(_l("生成方式"), default="keep", choices=lambda: select_choices([
        ("keep", _l("保留现有安排（含手动调整），只补充空位")),
        ("discard", _l("重新生成（丢弃手动调整；已记录结果的洽谈保留）")),
    ]))
    submit = SubmitField(_l("生成日程"))


class MoveForm(FlaskForm):
    slot = SelectField(_l("时段"), choices=[], validate_choice=False)
    table_no = StringField(_l("桌号"), validators=[Length(max=4)], render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("调整"))


class OutcomeForm(FlaskForm):
    outcome = _coded(_l("洽谈结果"), "meeting_outcome")
