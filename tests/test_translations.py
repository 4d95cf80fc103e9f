"""The zh_Hans catalog is complete: every user-facing string in the code and templates has a
Chinese translation, and the compiled .mo matches the .po.

Extraction uses Django's own template-to-Python step (the one makemessages uses) and Babel's
Python extractor, so the check needs no GNU gettext on the machine.
"""

from __future__ import annotations

import io
from pathlib import Path

import polib
from babel.messages.extract import extract_python
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _messages_in(source: str) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for _line, funcname, messages, _comments in extract_python(
        io.BytesIO(source.encode("utf-8")), KEYWORDS.keys(), [], {}
    ):
        spec = KEYWORDS.get(funcname)
        values = messages if isinstance(messages, tuple) else (messages,)
        if spec and isinstance(spec[0], tuple):  # pgettext: (context, msgid, ...)
            context, msgid = values[0], values[1]
        else:
            context, msgid = None, values[0]
        if msgid:
            found.add((context, msgid))
    return found


def extracted_msgids() -> dict[tuple[str | None, str], str]:
    found: dict[tuple[str | None, str], str] = {}
    sources = [*sorted((ROOT / "skillplan").rglob("*")), *sorted((ROOT / "config").rglob("*"))]
    for path in sources:
        if "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            source = path.read_text(encoding="utf-8")
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        else:
            continue
        for key in _messages_in(source):
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def test_every_user_facing_string_has_a_chinese_translation():
    catalog = polib.pofile(str(PO_PATH))
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in catalog
        if entry.msgstr or any(entry.msgstr_plural.values())
        if "fuzzy" not in entry.flags and not entry.obsolete
    }
    missing = sorted(
        f"{where}: {msgid!r}" for (ctx, msgid), where in extracted_msgids().items()
        if (ctx, msgid) not in translated
    )
    assert not missing, (
        f"{len(missing)} strings lack a zh_Hans translation (run `make messages`, translate, "
        "then `python scripts/compile_messages.py`):\n" + "\n".join(missing[:80])
    )


def test_compiled_catalog_matches_the_source():
    catalog = polib.pofile(str(PO_PATH))
    compiled = polib.mofile(str(PO_PATH.with_suffix(".mo")))
    source = {(e.msgctxt, e.msgid): e.msgstr for e in catalog.translated_entries()}
    built = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid}
    assert source == built, "django.mo is stale: run `python scripts/compile_messages.py`"


def test_pages_render_in_chinese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-Hans"' in page
    assert "登录" in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-Hans"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in english and "Sign in" in english


def test_the_catalog_names_each_message_once():
    """gettext's msgfmt refuses a catalog with a message twice; the two could also disagree."""
    entries = polib.pofile(str(PO_PATH))
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        seen[key] = seen.get(key, 0) + 1
    assert [key for key, count in seen.items() if count > 1] == []
