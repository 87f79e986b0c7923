"""Every screen string has a Chinese translation, and the compiled catalogues match the sources."""

import gettext
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def entries(po: Path) -> list[tuple[str, str, bool]]:
    """(key, msgstr, fuzzy) of every singular entry except the header; the key is the msgid, or
    "context\x04msgid" for an entry with a msgctxt, as the compiled catalogue keys it."""
    result = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if "msgid_plural" in block or "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block
        msgid_part, _, msgstr_part = block.partition("\nmsgstr ")
        head, _, msgid_text = msgid_part.rpartition("msgid ")
        msgid = _unescape("".join(_STRING.findall(msgid_text)))
        context = (
            _unescape("".join(_STRING.findall(head.split("msgctxt ", 1)[1]))) if "msgctxt " in head else None
        )
        msgstr = _unescape("".join(_STRING.findall(msgstr_part)))
        if msgid:
            result.append((msgid if context is None else f"{context}\x04{msgid}", msgstr, fuzzy))
    return result


def test_every_app_with_screens_has_a_catalogue():
    apps = {po.parts[-5] for po in CATALOGUES}
    assert {"core", "accounts", "plans", "supervision", "indicators", "reading", "reports", "portal"} <= apps


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_is_translated_and_compiled(po):
    found = entries(po)
    assert found
    untranslated = [msgid for msgid, msgstr, fuzzy in found if not msgstr or fuzzy]
    assert untranslated == [], f"{po}: translate these and run `make messages`"
    compiled = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    stale = [key for key, msgstr, _ in found if compiled._catalog.get(key) != msgstr]
    assert stale == [], f"{po.with_suffix('.mo')} is older than its .po: run `make messages`"


def test_a_string_is_translated_alike_in_every_catalogue():
    # Django merges the apps' catalogues into one and the first app wins: two translations of one
    # msgid mean one screen shows the other's word. Where a word really differs by use, the msgid
    # carries a context (pgettext), as 'completed' of a project stage (竣工) does.
    seen: dict[str, dict[str, str]] = {}
    for po in CATALOGUES:
        for key, msgstr, _fuzzy in entries(po):
            seen.setdefault(key, {})[po.parts[-5]] = msgstr
    disagreeing = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert disagreeing == {}
