"""Intent, note, status and transfer forms (shape only; the services check the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from matchmaker import labels
from matchmaker.web.forms import OnceForm
from matchmaker.web.helpers import select_choices


def _coded(label: object, group: str, blank: bool = False) -> SelectField:
    """A select of one labels.py group's codes."""
    return SelectField(label, choices=lambda: select_choices(([("", "—")] if blank else []) + labels.options(group)),
                       validate_choice=False)


def _ref(label: object) -> SelectField:
    return SelectField(label, choices=[], validate_choice=False)


class IntentForm(OnceForm):
    result_id = _ref(_l("科技成果"))
    company_id = _ref(_l("意向企业"))
    need_id = _ref(_l("对应需求（可选）"))
    event_id = _ref(_l("来源活动（可选）"))
    meeting_id = HiddenField()
    logged_on = StringField(_l("登记日期"), validators=[Length(max=10)], render_kw={"type": "date"})
    mode = _coded(_l("合作方式"), "mode", blank=True)
    amount_wan = StringField(_l("预计金额（万元）"), validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("保存"))


class IntentStatusForm(FlaskForm):
    status = HiddenField()


class NoteForm(OnceForm):
    noted_on = StringField(_l("跟进日期"), validators=[Length(max=10)], render_kw={"type": "date"})
    text = TextAreaField(_l("跟进记录"), validators=[Length(max=2000)])
    submit = SubmitField(_l("添加跟进记录"))


class TransferForm(OnceForm):
    result_id = _ref(_l("科技成果"))
    buyer_id = _ref(_l("受让方"))
    intent_id = _ref(_l("关联合作意向（可选）"))
    contract_number = StringField(_l("合同编号"), validators=[Length(max=50)])
    contract_type = _coded(_l("合同类型"), "contract_type", blank=True)
    amount_wan = StringField(_l("合同金额（万元）"), validators=[Optional(), Length(max=20)])
    signed_on = StringField(_l("签订日期"), validators=[Length(max=10)], render_kw={"type": "date"})
    local = RadioField(_l("是否本地转化"), default="auto", choices=lambda: select_choices([
        ("auto", _l("按受让方统一社会信用代码自动判定")), ("yes", _l("手动认定为本地")), ("no", _l("手动认定为非本地")),
    ]))
    override_reason = StringField(_l("手动认定理由"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("保存"))
