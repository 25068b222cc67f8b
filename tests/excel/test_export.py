"""Export: round trips through read_rows, the formula escape rule, sheet titles, a big sheet."""

from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook  # type: ignore[import-untyped]

from matchmaker.excel import (
    Column,
    SheetSpec,
    escape_formula,
    read_rows,
    safe_sheet_title,
    unescape_formula,
    write_workbook,
)

COLUMNS = [
    Column("成果名称", "title", width=40),
    Column("金额（万元）", "amount", number_format="#,##0.00"),
    Column("发布日期", "day"),
    Column("更新时间", "at"),
    Column("备注", "note"),
]
HEADERS = [c.header for c in COLUMNS]


def test_round_trip_restores_values() -> None:
    rows = [
        {
            "title": "高效钙钛矿电池",
            "amount": Decimal("12.50"),
            "day": dt.date(2024, 5, 1),
            "at": dt.datetime(2024, 5, 1, 9, 30, 15),
            "note": None,
        },
        ('=HYPERLINK("http://evil")', 3, dt.date(1999, 12, 31), dt.datetime(2030, 1, 1), "+86 138"),
        ("-1", -2.5, None, None, "@user"),
        ("'=already quoted", 0, None, None, "\tTAB"),
        ("普通文本 with 'quote", 10**12, None, None, "line1\nline2"),
    ]
    data = write_workbook([SheetSpec("成果", COLUMNS, rows)])
    result = read_rows(data, HEADERS)
    assert result.ok, result.problems
    got = [tuple(r.values[h] for h in HEADERS) for r in result.rows]
    assert got[0] == ("高效钙钛矿电池", 12.5, dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, 9, 30, 15), None)
    assert got[1] == ('=HYPERLINK("http://evil")', 3, dt.date(1999, 12, 31), dt.datetime(2030, 1, 1), "+86 138")
    assert got[2] == ("-1", -2.5, None, None, "@user")
    assert got[3] == ("'=already quoted", 0, None, None, "\tTAB")
    assert got[4] == ("普通文本 with 'quote", 10**12, None, None, "line1\nline2")
    assert [r.number for r in result.rows] == [2, 3, 4, 5, 6]


def test_dangerous_text_is_stored_as_escaped_text_not_formula() -> None:
    rows = [("=1+2",), ("+1",), ("-1",), ("@x",), ("\t=",), ("\r\n=1",)]
    data = write_workbook([SheetSpec("s", [Column("a", "a")], rows)])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # CR and CRLF become LF (XML would do it on reading anyway), and a leading LF is not a trigger.
    assert [c.value for c in cells] == ["'=1+2", "'+1", "'-1", "'@x", "'\t=", "\n=1"]
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("=1", "'=1"), ("'=1", "''=1"), ("''+x", "'''+x"), ("'plain", "'plain"), ("a=1", "a=1"), ("", "")],
)
def test_escape_rule_table(raw: str, stored: str) -> None:
    assert escape_formula(raw) == stored
    assert unescape_formula(stored) == raw


@given(st.text())
def test_escape_is_reversible(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text
    assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_header_is_bold_frozen_and_widths_set() -> None:
    data = write_workbook([SheetSpec("成果", COLUMNS, [])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.column_dimensions["B"].width >= 12  # derived from the CJK header


def test_number_format_and_odd_values() -> None:
    rows = [
        {
            "title": "x\x00\x07y",
            "amount": float("nan"),
            "day": dt.time(8, 30),
            "at": dt.datetime(2024, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "note": ["新能源", "生物医药"],
        }
    ]
    sheet = load_workbook(io.BytesIO(write_workbook([SheetSpec("s", COLUMNS, rows)]))).active
    assert [c.value for c in sheet[2]] == [
        "xy",
        None,
        dt.time(8, 30),
        dt.datetime(2024, 1, 1, 0, 0),
        "新能源、生物医药",
    ]
    sheet = load_workbook(io.BytesIO(write_workbook([SheetSpec("s", COLUMNS, [(None, 5)])]))).active
    assert sheet["B2"].number_format == "#,##0.00"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("成果/需求:[清单]?*", "成果_需求__清单___"),
        ("'引号'", "引号"),
        ("", "Sheet"),
        ("History", "History_"),
        ("很长的标题" * 10, ("很长的标题" * 10)[:31]),
    ],
)
def test_sheet_titles_are_sanitized(title: str, expected: str) -> None:
    assert safe_sheet_title(title, set()) == expected


def test_duplicate_titles_get_numbered_within_31_chars() -> None:
    specs = [SheetSpec("数据" * 20, [Column("a", "a")], []) for _ in range(3)]
    titles = load_workbook(io.BytesIO(write_workbook(specs))).sheetnames
    assert len(set(titles)) == 3 and all(len(t) <= 31 for t in titles)
    assert titles[1].endswith(" (2)") and titles[2].endswith(" (3)")


def test_bad_rows_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="at least one sheet"):
        write_workbook([])
    with pytest.raises(ValueError, match="2 cells for 1 columns"):
        write_workbook([SheetSpec("s", [Column("a", "a")], [(1, 2)])])
    with pytest.raises(TypeError):
        write_workbook([SheetSpec("s", [Column("a", "a")], ["abc"])])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.integers(-(10**9), 10**9) | st.none()), min_size=1, max_size=8))
def test_random_text_round_trips(rows: list[tuple[str, int | None]]) -> None:
    columns = [Column("文本", "t"), Column("数字", "n")]
    result = read_rows(write_workbook([SheetSpec("s", columns, rows)]), ["文本", "数字"])
    illegal = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]}
    expected = []
    for text, number in rows:
        clean = "".join(ch for ch in text.replace("\r\n", "\n").replace("\r", "\n") if ch not in illegal) or None
        if (clean is not None and clean.strip()) or number is not None:
            expected.append((clean, number))
    got = [(r.values["文本"], r.values["数字"]) for r in result.rows]
    if not expected:
        assert [p.code for p in result.problems] == ["empty"]
    else:
        assert result.ok and got == expected


def test_10k_rows_by_15_columns_write_and_read() -> None:
    columns = [Column(f"列{i}", f"c{i}") for i in range(15)]

    def rows():  # noqa: ANN202 - a local generator: export must stream it
        for r in range(10_000):
            yield {
                f"c{i}": (f"成果{r}-{i}" if i % 3 == 0 else r * i if i % 3 == 1 else dt.date(2024, 1, 1 + r % 28))
                for i in range(15)
            }

    started = time.perf_counter()
    data = write_workbook([SheetSpec("大表", columns, rows())])
    written = time.perf_counter()
    result = read_rows(data, [c.header for c in columns])
    finished = time.perf_counter()
    print(
        f"\n10k x 15: write {written - started:.2f} s, read {finished - written:.2f} s, "
        f"total {finished - started:.2f} s, {len(data) / 1e6:.1f} MB"
    )
    assert result.ok and len(result.rows) == 10_000
    assert result.rows[-1].values["列3"] == "成果9999-3"
