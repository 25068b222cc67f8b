"""统一社会信用代码 (GB 32100-2015): normalization, check character, region."""
from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}


def normalize(raw: str) -> str:
    """Full-width to half-width, no white space, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """None when the normalized code is valid, else a machine code naming what is wrong."""
    if len(code) != 18:
        return "length"
    if any(ch not in VALUES for ch in code):
        return "characters"
    if not code[2:8].isdigit():
        return "region"
    if check_character(code[:17]) != code[17]:
        return "check"
    return None


def region(code: str) -> str:
    """Characters 3-8: the administrative division where the organization registered."""
    return code[2:8]
