"""`make eval`: run the extractor on the development seed and score it against the dev gold.

Self-contained: imports countyworks.textread directly (no Django) and calls the shared scorer.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
sys.path.insert(0, str(REPO))

from countyworks.textread.cli import run_extract  # noqa: E402


def main() -> int:
    gold = SHARED / "eval" / "dev"
    seeds = sorted((SHARED / "seed").glob("*.txt"))
    if not gold.is_dir() or not seeds:
        print(f"no development data under {SHARED.resolve()}: nothing to score", file=sys.stderr)
        return 1
    wanted = {p.stem for p in gold.glob("*.jsonl")}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            if seed.stem not in wanted:
                continue
            with open(Path(tmp) / f"{seed.stem}.jsonl", "w", encoding="utf-8") as out:
                run_extract([str(seed)], "jsonl", out)
        args = [sys.executable, str(SHARED / "eval" / "score_quantities.py"), str(gold), tmp, *sys.argv[1:]]
        return subprocess.call(args)


if __name__ == "__main__":
    raise SystemExit(main())
