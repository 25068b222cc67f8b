"""统一社会信用代码: known codes, normalization, and every single-character error caught."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.services import credit_code

REAL_VALID = ["914403001922038216", "9144030071526726XG", "12100000400000624D", "91440101MA5CJQ4N59"]


@pytest.mark.parametrize("code", REAL_VALID)
def test_real_codes_are_valid(code: str) -> None:
    assert credit_code.problem(code) is None


@pytest.mark.parametrize(("raw", "why"), [
    ("91350100M000100Y4Z", "characters"),  # the standard's own worked example: Z is no code character
    ("91350100M000100Y44", "check"),  # ...and its check character would be 3
    ("91440300192203821", "length"),
    ("9144030019220382160", "length"),
    ("91440300192203821I", "characters"),
    ("91AB03001922038216", "region"),
    ("914403001922038217", "check"),
])
def test_invalid_codes_name_the_problem(raw: str, why: str) -> None:
    assert credit_code.problem(credit_code.normalize(raw)) == why


def test_normalization_accepts_full_width_spaces_and_case() -> None:
    assert credit_code.normalize(" ９１４４０３００ ７１５２６７２６ｘｇ ") == "9144030071526726XG"


def test_region_is_characters_three_to_eight() -> None:
    assert credit_code.region("914403001922038216") == "440300"


@given(st.sampled_from(REAL_VALID), st.integers(0, 17), st.sampled_from(credit_code.ALPHABET))
def test_every_single_substitution_is_rejected(code: str, pos: int, ch: str) -> None:
    if code[pos] == ch:
        return
    mutated = code[:pos] + ch + code[pos + 1:]
    assert credit_code.problem(mutated) is not None


@given(st.sampled_from(REAL_VALID), st.integers(0, 16))
def test_every_adjacent_transposition_is_rejected(code: str, pos: int) -> None:
    if code[pos] == code[pos + 1]:
        return
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assert credit_code.problem(swapped) is not None


def test_stdnum_oracle_agrees_on_digit_prefixed_codes() -> None:
    stdnum = pytest.importorskip("stdnum.cn.uscc")
    for code in REAL_VALID:
        assert stdnum.is_valid(code)
