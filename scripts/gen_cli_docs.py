"""Write docs/cli.md from the `--help` of every `countyworks` command of ours.

Our commands are those in countyworks/*/management/commands/. Run it after adding or changing a
command: `.venv/bin/python scripts/gen_cli_docs.py` (or `--check` to fail when the file is stale).
countyworks/core/tests/test_cli_docs.py fails when a command or an option is missing from the file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
HELP_WIDTH = "100"  # argparse wraps to $COLUMNS; a fixed width keeps the file stable

INTRO = """\
# Command line

Every command runs as `countyworks <command>` (the console script installed with the package; it is
Django's `manage.py` under our name) and prints its own `--help`. This file is generated from those
`--help` texts by `scripts/gen_cli_docs.py`; a test fails when a command or option is missing here.

## Conventions
- **`--json`**: a command that reports something prints one JSON document on stdout when given
  `--json` (UTF-8, Chinese kept as is, no log lines mixed in); without it, it prints lines for people.
  Messages about problems go to stderr.
- **Exit status**: 0 on success; non-zero with a message naming the row or field when input is bad.
  Commands that change data do it in one transaction: a failure changes nothing.
- **Idempotent scheduled work**: commands meant for cron (e.g. `supervise`) can be re-run safely.
- The options Django adds to every command (`--settings`, `--pythonpath`, `--traceback`,
  `--verbosity`, `--no-color`, `--force-color`, `--skip-checks`, `--version`) work as in Django.
"""


def our_commands() -> list[tuple[str, str]]:
    """(app module, command name) for every command file under countyworks/*/management/commands."""
    found = []
    for path in sorted((ROOT / "countyworks").glob("*/management/commands/*.py")):
        if path.name.startswith("_"):
            continue
        found.append((f"countyworks.{path.parts[-4]}", path.stem))
    return sorted(found, key=lambda pair: pair[1])


def command_parser(app: str, name: str) -> argparse.ArgumentParser:
    from django.core.management import load_command_class

    return load_command_class(app, name).create_parser("countyworks", name)


def render() -> str:
    os.environ["COLUMNS"] = HELP_WIDTH
    sections = [
        INTRO,
        "## Commands\n",
        *(f"- [`{name}`](#countyworks-{name})" for _a, name in our_commands()),
        "",
    ]
    for app, name in our_commands():
        parser = command_parser(app, name)
        sections.append(f"## countyworks {name}\n")
        sections.append(f"From `{app}`.\n")
        sections.append("```text\n" + parser.format_help().rstrip() + "\n```\n")
    return "\n".join(sections)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    import django

    django.setup()
    text = render()
    if "--check" in sys.argv[1:]:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is out of date: run python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)} ({len(our_commands())} commands)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
