"""Import templates: a header row with drop-downs and number checks, plus a 说明 (instructions) sheet.

List-valued columns (``multi=True``) accept several choices in one cell, separated by "、",
"," or "，"; Excel cannot multi-select, so their drop-down offers one value and warns nothing
when the user types a list.  Read them back with ``split_multi``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter, quote_sheetname  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from .cells import MULTI_SEPARATORS, default_width, to_cell
from .sheets import safe_sheet_title

HELP_TITLE = "说明"
CHOICES_TITLE = "选项"
MULTI_HINT = "可填多个，用“、”或“,”分隔"


@dataclass(frozen=True)
class TemplateColumn:
    """One input column: header, optional drop-down ``choices`` or whole-number range, and help text."""

    header: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    multi: bool = False
    whole_number: tuple[int, int] | None = None
    width: float | None = None


@dataclass(frozen=True)
class TemplateSpec:
    """A template: data sheet title, columns, how many rows get validation, and extra instructions."""

    columns: Sequence[TemplateColumn]
    title: str = "数据"
    rows: int = 1000
    instructions: tuple[str, ...] = ()


def build_template(spec: TemplateSpec) -> bytes:
    """The .xlsx bytes of an import template for ``spec``."""
    if not spec.columns or spec.rows < 1:
        raise ValueError("a template needs columns and at least one row")
    workbook = Workbook()
    taken: set[str] = set()
    data = workbook.active
    data.title = safe_sheet_title(spec.title, taken)
    guide = workbook.create_sheet(safe_sheet_title(HELP_TITLE, taken))
    options = workbook.create_sheet(safe_sheet_title(CHOICES_TITLE, taken))
    # Hidden rather than deleted: the drop-downs read their values from this sheet.
    options.sheet_state = "hidden"
    _write_header(data, spec)
    for index, col in enumerate(spec.columns, start=1):
        validation = _validation(col, index, options)
        if validation is not None:
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{spec.rows + 1}")
            data.add_data_validation(validation)
    _write_guide(guide, spec)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_header(sheet: Any, spec: TemplateSpec) -> None:
    for index, col in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=to_cell(col.header))
        cell.font = Font(bold=True, color="C00000" if col.required else None)
        width = col.width if col.width is not None else default_width(col.header, col.choices)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _validation(col: TemplateColumn, index: int, options: Any) -> DataValidation | None:
    prompt = _prompt(col)
    if col.choices:
        letter = get_column_letter(index)
        for row, choice in enumerate(col.choices, start=2):
            options.cell(row=row, column=index, value=to_cell(choice))
        options.cell(row=1, column=index, value=to_cell(col.header))
        source = f"{quote_sheetname(options.title)}!${letter}$2:${letter}${len(col.choices) + 1}"
        # A multi column must accept "a、b", which is not in the list, so it only suggests.
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=not col.multi)
        validation.error = "请从下拉列表中选择"
    elif col.whole_number is not None:
        low, high = col.whole_number
        validation = DataValidation(
            type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True
        )
        validation.showErrorMessage = True
        validation.error = f"请输入 {low}–{high} 之间的整数"
    else:
        return None
    validation.errorTitle = col.header[:32]
    validation.promptTitle = col.header[:32]
    validation.prompt = prompt[:255]
    validation.showInputMessage = bool(prompt)
    return validation


def _prompt(col: TemplateColumn) -> str:
    parts = [col.help] if col.help else []
    if col.multi:
        parts.append(MULTI_HINT)
    return "；".join(parts)


def _write_guide(sheet: Any, spec: TemplateSpec) -> None:
    lines = [
        "填写说明",
        *spec.instructions,
        "请勿修改第一行表头；红色表头为必填项。",
        f"多选列可填多个值，用 {' 或 '.join(f'“{s}”' for s in MULTI_SEPARATORS)} 分隔。",
        "",
    ]
    for line in lines:
        sheet.append([to_cell(line)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([to_cell(h) for h in ("列名", "必填", "说明", "可选值")])
    header_row = sheet.max_row
    for col in spec.columns:
        allowed = "、".join(col.choices)
        if col.whole_number is not None:
            allowed = f"{col.whole_number[0]}–{col.whole_number[1]} 的整数"
        required = "是" if col.required else "否"
        sheet.append([to_cell(v) for v in (col.header, required, _prompt(col), allowed)])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 8, 50, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
