"""Reading uploads: hostile files are refused with a code, never an exception."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.excel import FILE_LEVEL, ReadResult, read_rows

from .helpers import rezip, workbook_bytes

HEADERS = ["名称", "数量"]
GOOD = workbook_bytes(HEADERS, ["甲", 1], ["乙", 2])
MIB = 1 << 20


def codes(result: ReadResult) -> list[str]:
    return [p.code for p in result.problems]


def test_good_file() -> None:
    result = read_rows(GOOD, HEADERS)
    assert result.ok and not result.fatal
    assert [(r.number, dict(r.values)) for r in result.rows] == [
        (2, {"名称": "甲", "数量": 1}),
        (3, {"名称": "乙", "数量": 2}),
    ]


def test_headers_tolerate_whitespace_full_width_and_order() -> None:
    data = workbook_bytes(["　ＴＲＬ ", " 名 称", None], [7, "甲", None], [None, None, None], [8, "乙"])
    result = read_rows(data, ["名称", "TRL"])
    assert result.ok
    assert [dict(r.values) for r in result.rows] == [{"名称": "甲", "TRL": 7}, {"名称": "乙", "TRL": 8}]
    assert [r.number for r in result.rows] == [2, 4]


def test_header_may_sit_below_blank_rows() -> None:
    result = read_rows(workbook_bytes([None, None], HEADERS, ["甲", 1]), HEADERS)
    assert result.ok and result.rows[0].number == 3
    # A title in row 1 is not skipped: the first non-blank row is the header.
    result = read_rows(workbook_bytes(["成果清单"], HEADERS, ["甲", 1]), HEADERS)
    assert set(codes(result)) == {"bad_headers"}


def test_wrong_headers_list_missing_unexpected_and_repeated() -> None:
    data = workbook_bytes(["名称", "单价", "名称"], ["甲", 1, "甲"])
    result = read_rows(data, HEADERS)
    assert result.fatal and result.rows == ()
    found = {(p.column, p.message) for p in result.problems}
    assert found == {("单价", "unexpected column"), ("名称", "column appears twice"), ("数量", "missing column")}
    assert set(codes(result)) == {"bad_headers"} and all(p.row == 1 for p in result.problems)


def test_formula_rows_are_reported_not_imported() -> None:
    data = workbook_bytes(HEADERS, ["甲", "=1+1"], ["乙", 2], ['=HYPERLINK("http://x")', 3])
    # Forge a cached result as a malicious file would: it must not be imported either.
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    data = rezip(data, {"xl/worksheets/sheet1.xml": sheet.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>999</v>")})
    result = read_rows(data, HEADERS)
    assert not result.fatal
    assert [(p.row, p.column, p.code) for p in result.problems] == [(2, "数量", "formula"), (4, "名称", "formula")]
    assert [dict(r.values) for r in result.rows] == [{"名称": "乙", "数量": 2}]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (workbook_bytes(), "empty"),
        (workbook_bytes(HEADERS), "empty"),
        (workbook_bytes(HEADERS, [None, None], ["  ", None]), "empty"),
        ("名称,数量\n甲,1\n".encode(), "not_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "not_xlsx"),  # old .xls / encrypted
        (b"PK\x03\x04" + os.urandom(2000), "not_xlsx"),
        (b"x" * (10 * MIB), "too_large"),
    ],
    ids=["zero-bytes", "blank-sheet", "header-only", "blank-rows", "csv-renamed", "ole", "pk-junk", "10mb-junk"],
)
def test_bad_files(data: bytes, code: str) -> None:
    result = read_rows(data, HEADERS)
    assert codes(result) == [code] and result.fatal and result.rows == ()
    assert result.problems[0].message


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert codes(read_rows(buffer.getvalue(), HEADERS)) == ["not_xlsx"]
    broken = rezip(GOOD, {"xl/workbook.xml": b"<not-a-workbook/>"})
    assert codes(read_rows(broken, HEADERS)) == ["not_xlsx"]


def zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Stream ``size`` zero bytes into a deflated member without holding them in memory."""
    chunk = bytes(MIB)
    with archive.open(name, "w", force_zip64=True) as member:
        for _ in range(size // MIB):
            member.write(chunk)


def bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        zeros_member(archive, "xl/worksheets/sheet1.xml", size)
    return buffer.getvalue()


def test_zip_bomb_200_mb_of_zeros() -> None:
    data = bomb(200 * MIB)
    assert len(data) < MIB
    result = read_rows(data, HEADERS)
    assert codes(result) == ["zip_bomb"] and "expands" in result.problems[0].message


def test_zip_bomb_by_ratio_under_the_total_limit() -> None:
    result = read_rows(bomb(20 * MIB), HEADERS)
    assert codes(result) == ["zip_bomb"] and "compresses" in result.problems[0].message


def test_too_many_members() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(1_001):
            archive.writestr(f"x/{i}.xml", "")
    assert codes(read_rows(buffer.getvalue(), HEADERS)) == ["zip_bomb"]


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite a member's uncompressed size in the central directory, which zipfile trusts."""
    out = bytearray(data)
    start = out.rfind(b"PK\x01\x02", 0)
    while start != -1:
        name_len = struct.unpack_from("<H", out, start + 28)[0]
        if out[start + 46 : start + 46 + name_len] == name.encode():
            struct.pack_into("<I", out, start + 24, size)
            return bytes(out)
        start = out.rfind(b"PK\x01\x02", 0, start)
    raise AssertionError(f"{name} not found")


def test_member_lying_about_its_size_is_refused() -> None:
    # 8 MiB of zeros declared as 1 KiB: the ratio check passes, so the streaming scan must stop it.
    data = declare_size(bomb(8 * MIB), "xl/worksheets/sheet1.xml", 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    assert codes(read_rows(data, HEADERS)) == ["not_xlsx"]


def test_dtd_entity_tricks_are_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    result = read_rows(rezip(GOOD, {"xl/sharedStrings.xml": laughs}), HEADERS)
    assert codes(result) == ["not_xlsx"] and "DTD" in result.problems[0].message


def test_corrupted_member_is_refused() -> None:
    data = bytearray(GOOD)
    with zipfile.ZipFile(io.BytesIO(GOOD)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Flip a byte inside the compressed data: zipfile's CRC check must catch it before openpyxl.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    assert codes(read_rows(bytes(data), HEADERS)) == ["not_xlsx"]


def test_row_and_cell_limits() -> None:
    data = workbook_bytes(HEADERS, *[[f"r{i}", i] for i in range(6)])
    assert codes(read_rows(data, HEADERS, max_rows=5)) == ["too_many_rows"]
    assert read_rows(data, HEADERS, max_rows=6).ok
    assert codes(read_rows(data, HEADERS, max_cells=11)) == ["too_many_rows"]


def test_far_away_stray_cell_bounds_the_scan() -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append(["甲", 1])
    wb.active["A1000000"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    assert codes(read_rows(buffer.getvalue(), HEADERS, max_rows=10)) == ["too_many_rows"]


def test_dates_come_back_as_dates() -> None:
    data = workbook_bytes(["日期", "时间"], [dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 0, 0, 1)])
    values = read_rows(data, ["日期", "时间"]).rows[0].values
    assert values == {"日期": dt.date(2024, 2, 29), "时间": dt.datetime(2024, 2, 29, 0, 0, 1)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096) | st.binary(max_size=4096).map(lambda b: b"PK\x03\x04" + b))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = read_rows(data, HEADERS)
    assert result.fatal and set(codes(result)) <= FILE_LEVEL


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_workbooks_never_raise(flips: list[tuple[int, int]]) -> None:
    data = bytearray(GOOD)
    for index, value in flips:
        data[index] = value
    result = read_rows(bytes(data), HEADERS)
    assert set(codes(result)) <= FILE_LEVEL | {"formula"}
