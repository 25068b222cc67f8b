"""The yearly targets form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange


def _target(label: object) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(_l("此项为必填项。")), NumberRange(min=0, max=100_000)])


class TargetsForm(FlaskForm):
    events = _target(_l("对接活动（场）"))
    transfers = _target(_l("在本地转移转化（项）"))
    results = _target(_l("汇聚成果（项）"))
    firms = _target(_l("覆盖企业（家）"))
    intents = _target(_l("合作意向（项）"))
    submit = SubmitField(_l("保存目标"))
