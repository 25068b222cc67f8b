"""我要对接 forms (shape only; services/contacts owns the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length


class ContactRequestForm(FlaskForm):
    message = TextAreaField(_l("对接说明（希望开展什么合作、为什么）"), validators=[Length(max=20000)])
    mode = SelectField(_l("拟合作方式"), choices=[], validate_choice=False)
    own_posting_id = SelectField(_l("关联本单位发布的内容（可选）"), choices=[], validate_choice=False)
    accept_terms = BooleanField(_l("我已阅读并同意平台对接规则：申请经科技局审核后转交对方；"
                                   "对方同意后双方联系方式相互公开，仅用于本次对接。"))
    submit = SubmitField(_l("提交对接申请"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("理由或留言"), validators=[Length(max=2000)])
    submit = SubmitField(_l("确认"))
