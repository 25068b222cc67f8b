"""Safe Excel export, import templates and upload reading: a pure library on openpyxl."""

from .cells import escape_formula, split_multi, unescape_formula
from .export import Column, SheetSpec, write_workbook
from .read import FILE_LEVEL, Problem, ReadResult, ReadRow, read_rows
from .sheets import safe_sheet_title
from .template import TemplateColumn, TemplateSpec, build_template

__all__ = [
    "FILE_LEVEL",
    "Column",
    "Problem",
    "ReadResult",
    "ReadRow",
    "SheetSpec",
    "TemplateColumn",
    "TemplateSpec",
    "build_template",
    "escape_formula",
    "read_rows",
    "safe_sheet_title",
    "split_multi",
    "unescape_formula",
    "write_workbook",
]
