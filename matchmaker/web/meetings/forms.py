"""约见 forms (shape only; the service validates)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from matchmaker.models.meeting_request import MESSAGE_MAX


class MeetingRequestForm(FlaskForm):
    result_id = HiddenField()
    org_id = HiddenField()
    message = TextAreaField(_l("为什么想见面"), validators=[Length(max=MESSAGE_MAX)])


class ParticipantOutcomeForm(FlaskForm):
    outcome = StringField(validators=[Length(max=20)])
