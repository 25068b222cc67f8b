from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length


class ChainForm(FlaskForm):
    name = StringField(_l("名称"), validators=[Length(max=50)])
    description = TextAreaField(_l("说明"), validators=[Length(max=1000)])
    terms = TextAreaField(_l("领域词"), validators=[Length(max=60000)],
                          description=_l("每行一个，或用逗号、顿号分隔；用于分词与匹配。"))
    synonyms = TextAreaField(_l("企业用语与同义词"), validators=[Length(max=60000)],
                             description=_l("每行一条：企业常用说法 = 论文和专利里的技术术语（多个用顿号分隔），"
                                            "例如：剩余电量 = 荷电状态、SOC。搜索和匹配时按较低权重补充这些术语。"))
    submit = SubmitField(_l("保存"))
