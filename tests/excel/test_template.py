"""Templates: header, instructions sheet, drop-downs and whole-number checks."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from matchmaker.excel import TemplateColumn, TemplateSpec, build_template, read_rows, split_multi

CHAINS = ("新能源", "生物医药", "集成电路, 芯片")
SPEC = TemplateSpec(
    columns=(
        TemplateColumn("成果名称", help="不超过 100 字", required=True),
        TemplateColumn("产业链", choices=CHAINS, required=True),
        TemplateColumn("合作方式", choices=("技术转让", "许可", "作价入股"), multi=True),
        TemplateColumn("技术成熟度（TRL）", help="1–9", whole_number=(1, 9)),
    ),
    title="成果导入",
    rows=1000,
    instructions=("每行一项成果。",),
)


@pytest.fixture(scope="module")
def workbook():  # noqa: ANN201 - openpyxl has no types
    return load_workbook(io.BytesIO(build_template(SPEC)))


def test_sheets_header_and_guide(workbook) -> None:  # noqa: ANN001
    assert workbook.sheetnames == ["成果导入", "说明", "选项"]
    data, guide, options = (workbook[n] for n in workbook.sheetnames)
    assert [c.value for c in data[1]] == [c.header for c in SPEC.columns]
    assert all(c.font.b for c in data[1]) and data.freeze_panes == "A2"
    assert options.sheet_state == "hidden" and guide.sheet_state == "visible"
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "每行一项成果。" in text and "“、”" in text and "技术成熟度（TRL）" in text


def test_data_validations(workbook) -> None:  # noqa: ANN001
    data, options = workbook["成果导入"], workbook["选项"]
    validations = {str(v.sqref): v for v in data.data_validations.dataValidation}
    assert set(validations) == {"B2:B1001", "C2:C1001", "D2:D1001"}
    chain = validations["B2:B1001"]
    assert chain.type == "list" and chain.showErrorMessage
    assert chain.formula1 == "'选项'!$B$2:$B$4"
    assert [options.cell(row=r, column=2).value for r in range(2, 5)] == list(CHAINS)
    multi = validations["C2:C1001"]
    assert multi.type == "list" and not multi.showErrorMessage and "分隔" in multi.prompt
    trl = validations["D2:D1001"]
    assert (trl.type, trl.operator, trl.formula1, trl.formula2) == ("whole", "between", "1", "9")


def test_filled_template_reads_back() -> None:
    wb = load_workbook(io.BytesIO(build_template(SPEC)))
    wb["成果导入"].append(["氢能储运", "新能源", "技术转让、许可", 6])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_rows(buffer.getvalue(), [c.header for c in SPEC.columns])
    assert result.ok
    values = result.rows[0].values
    assert split_multi(values["合作方式"]) == ("技术转让", "许可")  # type: ignore[arg-type]
    assert values["技术成熟度（TRL）"] == 6


@pytest.mark.parametrize(
    ("text", "parts"),
    [("a、b", ("a", "b")), ("a, b，c", ("a", "b", "c")), (" a 、、 ", ("a",)), ("", ()), (None, ())],
)
def test_split_multi(text: str | None, parts: tuple[str, ...]) -> None:
    assert split_multi(text) == parts


def test_template_needs_columns() -> None:
    with pytest.raises(ValueError):
        build_template(TemplateSpec(columns=()))
