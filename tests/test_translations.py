"""Every string the code and templates mark for translation has an English entry (English is the second
language of every page and e-mail; an untranslated msgid shows Chinese to an English reader)."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "_lp": ((1, "c"), 2), "pgettext": ((1, "c"), 2)}
METHODS = [("matchmaker/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def test_every_marked_string_has_an_english_translation() -> None:
    with (ROOT / "matchmaker/translations/en/LC_MESSAGES/messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    missing = set()
    for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if not msgid:
            continue
        entry = catalog.get(msgid, context)
        if entry is None or not entry.string:
            missing.add((msgid, context))
    assert not missing, sorted(missing)
