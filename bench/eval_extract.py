"""`make eval`: run the extractor on each development set and score it against its gold.

Two sets, each printed on its own:
- the seed (../shared/seed, gold in ../shared/eval/dev), read from the shared folder at run time;
- our own texts (bench/gold/*.txt, gold beside them as *.jsonl): a statistical bulletin, the target
  section of a work report, a 民生实事 progress report, a 督查通报, a news item and a unit's monthly
  report with a figure table, written for this repository and annotated by ../shared/eval/FORMAT.md.
  The first five were annotated from the reader's output, each line checked and corrected by hand
  (subjects, periods); the monthly report was annotated by hand before the reader was run on it.

Self-contained: imports countyworks.textread directly (no Django) and calls the shared scorer.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
OWN = REPO / "bench" / "gold"
sys.path.insert(0, str(REPO))

from countyworks.textread.cli import run_extract  # noqa: E402


def score(name: str, gold: Path, texts: list[Path], extra: list[str]) -> int:
    wanted = {p.stem for p in gold.glob("*.jsonl")}
    print(f"== {name}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for text in texts:
            if text.stem not in wanted:
                continue
            with open(Path(tmp) / f"{text.stem}.jsonl", "w", encoding="utf-8") as out:
                run_extract([str(text)], "jsonl", out)
        args = [sys.executable, str(SHARED / "eval" / "score_quantities.py"), str(gold), tmp, *extra]
        return subprocess.call(args)


def main() -> int:
    status = 0
    seed_gold = SHARED / "eval" / "dev"
    seeds = sorted((SHARED / "seed").glob("*.txt"))
    if not seed_gold.is_dir() or not seeds:
        print(f"no development data under {SHARED.resolve()}: the seed is not scored", file=sys.stderr)
        status = 1
    else:
        status |= score("seed (../shared/eval/dev)", seed_gold, seeds, sys.argv[1:])
    status |= score("own texts (bench/gold)", OWN, sorted(OWN.glob("*.txt")), sys.argv[1:])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
