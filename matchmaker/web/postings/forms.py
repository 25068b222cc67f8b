"""Result and need forms; the field names are the service's data keys."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from matchmaker import labels
from matchmaker.web.forms import OnceForm
from matchmaker.web.helpers import select_choices


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _select(label: object, group: str, blank: bool = False) -> SelectField:
    return SelectField(label, choices=lambda: select_choices(([("", "—")] if blank else []) + labels.options(group)),
                       validate_choice=False)


class PostingForm(OnceForm):
    title = StringField(_l("标题"), validators=[Length(max=200)])
    chain_id = SelectField(_l("所属产业链"), choices=[], validate_choice=False)
    keywords = StringField(_l("关键词"), validators=[Length(max=400)],
                           description=_l("多个关键词用逗号或顿号分隔，最多 10 个。"))
    modes = CheckboxesField(_l("合作方式"), choices=lambda: select_choices(labels.options("mode")),
                            validate_choice=False)
    contact_name = StringField(_l("联系人"), validators=[Length(max=50)])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=30)])
    contact_email = StringField(_l("电子邮箱"), validators=[Length(max=120)])
    save = SubmitField(_l("保存草稿"))
    submit_review = SubmitField(_l("保存并提交审核"))


class ResultForm(PostingForm):
    summary = TextAreaField(_l("成果简介"), validators=[Length(max=5000)])
    innovations = TextAreaField(_l("创新点"), validators=[Length(max=3000)])
    indicators = TextAreaField(_l("技术指标"), validators=[Length(max=3000)])
    trl = SelectField(_l("技术成熟度（TRL）"), choices=select_choices([("", "—")] + [(i, i) for i in range(1, 10)]),
                      validate_choice=False)
    stage = _select(_l("成熟阶段"), "stage", blank=True)
    ip_type = _select(_l("知识产权类型"), "ip_type")
    patent_numbers = StringField(_l("专利号"), validators=[Length(max=500)])
    price_wan = StringField(_l("转让价格（万元）"), validators=[Optional(), Length(max=20)],
                            description=_l("留空表示面议。"))
    expires_on = StringField(_l("有效期至"), validators=[Optional(), Length(max=10)],
                             render_kw={"type": "date"})


class NeedForm(PostingForm):
    problem = TextAreaField(_l("需求描述"), validators=[Length(max=5000)])
    targets = TextAreaField(_l("目标指标"), validators=[Length(max=3000)])
    need_type = _select(_l("需求类型"), "need_type")
    budget_wan = StringField(_l("预算（万元）"), validators=[Optional(), Length(max=20)],
                             description=_l("留空表示面议。"))
    deadline = StringField(_l("截止日期"), validators=[Optional(), Length(max=10)], render_kw={"type": "date"})
    trl_min = SelectField(_l("要求的最低成熟度（TRL）"),
                          choices=select_choices([("", "—")] + [(i, i) for i in range(1, 10)]), validate_choice=False)


FORMS: dict[str, type[PostingForm]] = {"result": ResultForm, "need": NeedForm}
