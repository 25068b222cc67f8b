"""Organization verification and membership forms (shape only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

from matchmaker.web.orgs.forms import ProfileForm

__all__ = ["ProfileForm", "ReasonForm"]


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("理由"), validators=[Length(max=1000)])
    submit = SubmitField(_l("确认"))

