"""`countyworks extract`: the reader's JSONL from the project's own command, with --year."""

from __future__ import annotations

import io
import json

from django.core.management import call_command


def _mentions(path, *options: str) -> list[dict]:
    out = io.StringIO()
    call_command("extract", str(path), *options, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_it_resolves_this_year_against_the_year_given(tmp_path):
    text = tmp_path / "county-notes.txt"
    text.write_text("今年全县完成固定资产投资3亿元。", encoding="utf-8")
    [mention] = _mentions(text, "--year", "2023")
    assert (mention["value"], mention["unit"], mention["period"]) == (300000000, "元", "2023")
    assert mention["doc"] == "county-notes"
    # Without a year (and none in the file name) 今年 is left unresolved rather than guessed.
    [mention] = _mentions(text)
    assert mention["period"] is None
