"""Password policy: long enough and not on the shipped list of common passwords."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l


@lru_cache(maxsize=4)
def common_passwords(corpus_dir: str) -> frozenset[str]:
    path = Path(corpus_dir) / "common_passwords.txt"
    if not path.exists():
        return frozenset()
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def password_problem(password: str, username: str, *, min_length: int, corpus_dir: str) -> str | None:
    """None if acceptable, else a localized reason."""
    if len(password) < min_length:
        return str(_l("密码至少需要 %(n)d 个字符。", n=min_length))
    if len(password) > 128:
        return str(_l("密码不能超过 128 个字符。"))
    lowered = password.lower()
    if lowered in common_passwords(corpus_dir) or (username and username.lower() in lowered):
        return str(_l("这个密码太常见或包含用户名，请换一个。"))
    return None
