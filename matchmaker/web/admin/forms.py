from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from matchmaker import labels
from matchmaker.web.helpers import select_choices


class RoleForm(FlaskForm):
    role = SelectField(_l("角色"), choices=lambda: select_choices(labels.options("role")), validate_choice=False)
    submit = SubmitField(_l("修改角色"))
