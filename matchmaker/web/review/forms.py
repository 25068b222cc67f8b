from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("退回理由"), validators=[Length(max=1000)])
    submit = SubmitField(_l("退回"))
