"""Subscription forms: shapes only (the service checks the query, chain, score range, ownership and the cap)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField

from matchmaker import labels
from matchmaker.web.forms import OnceForm
from matchmaker.web.helpers import select_choices


class SearchSubscriptionForm(OnceForm):
    q = StringField(_l("搜索词"))
    target_kind = SelectField(_l("订阅内容"), validate_choice=False)
    chain_id = SelectField(_l("产业链"), validate_choice=False)
    trl_min = StringField(_l("最低成熟度（TRL）"))
    trl_max = StringField(_l("最高成熟度（TRL）"))
    mode = SelectField(_l("合作方式"), validate_choice=False)
    submit = SubmitField(_l("订阅此搜索"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.target_kind.choices = select_choices(labels.options("posting_kind"))
        self.mode.choices = select_choices([("", _l("不限")), *labels.options("mode")])


class WatchForm(OnceForm):
    posting_kind = HiddenField()
    posting_id = HiddenField()
    min_score = StringField(_l("最低匹配度（0–100）"),
                            description=_l("与详情页“匹配推荐”显示的匹配度相同；达到此分数的新发布内容会提醒您。"))
    submit = SubmitField(_l("开启新匹配提醒"))


class FrequencyForm(FlaskForm):
    frequency = SelectField(_l("邮件频率"), validate_choice=False)
    submit = SubmitField(_l("保存"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.frequency.choices = select_choices(labels.options("digest_frequency"))
