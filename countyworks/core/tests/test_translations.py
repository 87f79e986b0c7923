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
    """(msgid, msgstr, fuzzy) of every singular entry except the header."""
    result = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if "msgid_plural" in block or "msgid" not in block:
            continue
        fuzzy = "#, fuzzy" in block
        msgid_part, _, msgstr_part = block.partition("\nmsgstr ")
        msgid = _unescape("".join(_STRING.findall(msgid_part.split("msgid ", 1)[1])))
        msgstr = _unescape("".join(_STRING.findall(msgstr_part)))
        if msgid:
            result.append((msgid, msgstr, fuzzy))
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
    stale = [msgid for msgid, msgstr, _ in found if compiled.gettext(msgid) != msgstr]
    assert stale == [], f"{po.with_suffix('.mo')} is older than its .po: run `make messages`"
