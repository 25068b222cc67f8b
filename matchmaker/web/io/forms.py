"""Upload and confirm forms of the Excel import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice


class UploadForm(FlaskForm):
    kind = SelectField(_l("数据类型"), choices=[SelectChoice("result", _l("科技成果")),
                                                SelectChoice("need", _l("技术需求")),
                                                SelectChoice("organization", _l("单位"))])
    file = FileField(_l("Excel 文件（.xlsx）"), validators=[FileRequired(_l("请选择要上传的文件。"))])
    submit = SubmitField(_l("上传并检查"))


class ConfirmImportForm(FlaskForm):
    skip_duplicates = BooleanField(_l("跳过疑似重复的行"), default=True)
    submit = SubmitField(_l("确认导入"))


class DiscardForm(FlaskForm):
    submit = SubmitField(_l("放弃本次导入"))
