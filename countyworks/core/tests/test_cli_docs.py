"""Every `countyworks` command of ours, and every option of each, is documented in docs/cli.md."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "cli.md"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
COMMANDS = GENERATOR.our_commands()


def _section(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## countyworks {re.escape(name)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/cli.md has no section for `countyworks {name}`: run python scripts/gen_cli_docs.py"
    return match.group(1)


def _shown_name(action) -> str:
    """How --help shows a positional argument: its metavar, its choices, or its name."""
    if isinstance(action.metavar, str):
        return action.metavar
    if action.choices:
        return "{" + ",".join(str(choice) for choice in action.choices) + "}"
    return action.dest


def test_it_finds_our_commands():
    names = {name for _app, name in COMMANDS}
    assert {"issuetoken", "loaddemo", "supervise"} <= names


@pytest.mark.parametrize(("app", "name"), COMMANDS, ids=[name for _a, name in COMMANDS])
def test_it_documents_every_command_and_option(app, name):
    section = _section(name)
    parser = GENERATOR.command_parser(app, name)
    missing = [
        option
        for action in parser._actions
        for option in (action.option_strings or [_shown_name(action)])
        if action.dest != "help" and option not in section
    ]
    assert missing == [], f"`countyworks {name}` options missing from docs/cli.md: {missing}"
    description = (parser.description or "").split()
    assert " ".join(description[:6]) in " ".join(section.split()), f"`countyworks {name}` help text changed"


def test_it_documents_the_json_convention():
    text = DOC.read_text(encoding="utf-8")
    assert "`--json`" in text and "stdout" in text
