"""No phone number, e-mail address or secret token reaches a log line.

A log record is redacted where it is made (the logging module's record factory), so every logger and handler
benefits, ours and the libraries' (werkzeug's and gunicorn's access lines carry URLs with tokens and search
text; a database error's message carries the row's values). Tracebacks are redacted too.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Any

MASK = "[redacted]"
PATTERNS = (
    re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"),  # e-mail
    re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?!\d)"),  # mainland mobile
    re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"),  # landline with area code
    re.compile(r"\bmm_[A-Za-z0-9_\-]{6,}"),  # API tokens
    # Single-use links and other secrets in URL paths or query strings: long opaque runs with digits.
    re.compile(r"(?<=[/=])(?=[A-Za-z0-9_\-.]*\d)(?=[A-Za-z0-9_\-.]*[A-Za-z])[A-Za-z0-9_\-.]{24,}"),
    re.compile(r"(?i)((?:token|password|secret|key)=)[^&\s\"']+"),
)


def redact(text: str) -> str:
    """The text with every personal or secret value replaced by a mask."""
    for pattern in PATTERNS[:-1]:
        text = pattern.sub(MASK, text)
    return PATTERNS[-1].sub(lambda m: m.group(1) + MASK, text)


_installed: list[Any] = []


def install() -> None:
    """Wrap the record factory once per process (create_app may run many times)."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: leave it to the handler's own error path
            return record
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    logging.setLogRecordFactory(factory)
    _installed.append(factory)
