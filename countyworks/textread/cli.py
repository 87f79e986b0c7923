"""The logic of `countyworks extract`: files in, quantity mentions out (JSON Lines or a table)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from .mentions import Mention, extract_mentions

FORMATS = ("jsonl", "table")
_TABLE_COLUMNS = (
    "start",
    "end",
    "text",
    "kind",
    "value",
    "unit",
    "qualifier",
    "period",
    "base_period",
    "subject",
)


def doc_id_for(path: str) -> str:
    """The document id: the file name without `.txt` (`-` reads stdin and is called `stdin`)."""
    if path == "-":
        return "stdin"
    name = Path(path).name
    return name[:-4] if name.endswith(".txt") else name


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8")


def write_mentions(mentions: list[Mention], fmt: str, out: TextIO) -> None:
    if fmt == "jsonl":
        for m in mentions:
            out.write(json.dumps(m.as_dict(), ensure_ascii=False) + "\n")
        return
    out.write("\t".join(_TABLE_COLUMNS) + "\n")
    for m in mentions:
        d = m.as_dict()
        out.write("\t".join("" if d[c] is None else str(d[c]) for c in _TABLE_COLUMNS) + "\n")


def run_extract(paths: list[str], fmt: str, stdout: TextIO, doc_year: int | None = None) -> int:
    """Extract mentions from every path and write them to `stdout`; the exit status is returned.

    `doc_year` is the year the texts are from; without it each text's year is the one its file name
    names, if any. Relative years (今年, 去年) are resolved against it and left without a period when
    there is none.
    """
    if fmt not in FORMATS:
        sys.stderr.write(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n")
        return 2
    status = 0
    for path in paths:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as e:
            sys.stderr.write(f"{path}: {e}\n")
            status = 1
            continue
        try:
            mentions = extract_mentions(text, doc_id=doc_id_for(path), doc_year=doc_year)
            write_mentions(mentions, fmt, stdout)
        except BrokenPipeError:
            return status  # the reader of our output (head, less) has had enough
    return status


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="textread-extract", description="Print the quantity mentions of texts."
    )
    parser.add_argument("paths", nargs="+", metavar="FILE", help="text files; - reads standard input")
    parser.add_argument("--format", choices=FORMATS, default="jsonl")
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="the year the texts are from (今年 is this year); default: a year in the file name",
    )
    args = parser.parse_args(argv)
    return run_extract(args.paths, args.format, sys.stdout, doc_year=args.year)


if __name__ == "__main__":
    raise SystemExit(main())
