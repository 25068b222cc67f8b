from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class FeedbackForm(FlaskForm):
    """One suggestion's useful / not useful buttons; the ids travel as hidden fields."""

    source_kind = HiddenField()
    source_id = HiddenField()
    target_id = HiddenField()
    rank = HiddenField()
    useful = HiddenField()
