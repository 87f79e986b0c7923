"""`make bench`: characters per CPU-second of the quantity reader on real text, and how it scales.

Real text, not a synthetic mix of template sentences (which overstated the speed): the development
seed (read from ../shared/seed at run time, never copied here) and our own texts of the kinds a
supervision office receives (bench/gold/*.txt: a statistical bulletin, a work report's target
section, a 民生实事 progress report, a 督查通报, a news item). Each kind is repeated to documents of
10 k, 100 k and 1 M characters and read as one document, so a cost that grows faster than the
document shows up as a falling rate. CPU time (time.process_time), best of 3, one core.

Then the whole reading of a document as `reading.services.read_document` does it without the
database (structure, mentions, proposals), and Chinese numerals against cn2an when it is installed.

    .venv/bin/python bench/bench_textread.py [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from countyworks.reading import proposals  # noqa: E402  (pure Python, no Django import)
from countyworks.textread import extract_mentions, parse_number, parse_structure, to_chinese  # noqa: E402

SEED_DIR = REPO / ".." / "shared" / "seed"
OWN_DIR = REPO / "bench" / "gold"


def kinds() -> dict[str, str]:
    texts = {p.stem.split("-", 2)[-1]: p.read_text(encoding="utf-8") for p in sorted(OWN_DIR.glob("*.txt"))}
    if SEED_DIR.is_dir():
        for p in sorted(SEED_DIR.glob("*.txt")):
            texts[f"seed:{p.stem}"] = p.read_text(encoding="utf-8")
    texts["all kinds"] = "\n\n".join(texts.values())
    return texts


def document(text: str, size: int) -> str:
    copies = size // (len(text) + 2) + 1
    return ("\n\n".join([text] * copies))[:size]


def cpu(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return max(best, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = kinds()
    extract_mentions(texts["all kinds"][:5000], doc_id="warmup")
    print("textread.extract_mentions, characters per CPU-second (one document of each size):")
    print(f"  {'kind':32s}" + "".join(f"{s:>14,}" for s in sizes) + "   mentions/1k chars")
    for name, text in texts.items():
        rates = []
        density = 0.0
        for size in sizes:
            doc = document(text, size)
            took = cpu(lambda d=doc: extract_mentions(d, doc_id="b", doc_year=2024), args.repeat)
            rates.append(size / took)
            density = len(extract_mentions(doc, doc_id="b", doc_year=2024)) / size * 1000
        print(f"  {name:32s}" + "".join(f"{r:>14,.0f}" for r in rates) + f"   {density:.1f}")

    print("whole reading without the database (structure + mentions + proposals), characters per CPU-second:")
    for size in sizes:
        doc = document(texts["all kinds"], size)

        def read(d=doc) -> None:
            structure = parse_structure(d)
            mentions = extract_mentions(d, doc_id="b", doc_year=2024)
            proposals.propose(d, mentions, structure, doc_year=2024)

        print(f"  {size:>10,} characters: {size / cpu(read, args.repeat):,.0f}")

    numerals = [to_chinese(random.Random(i).randint(1, 10**9)) for i in range(20_000)]
    dt = cpu(lambda: [parse_number(s) for s in numerals], 1)
    print(f"textread.parse_number: {len(numerals) / dt:,.0f} Chinese numerals/s")
    try:
        import cn2an  # type: ignore[import-untyped]
    except ImportError:
        print("cn2an not installed: no comparison")
        return 0
    dt2 = cpu(lambda: [cn2an.cn2an(s, "smart") for s in numerals], 1)
    print(f"cn2an.cn2an (smart): {len(numerals) / dt2:,.0f} Chinese numerals/s ({dt2 / dt:.1f}x the time)")
    sample = document(texts["all kinds"], 200_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on every label it cannot read (十三五, 千万)
        dt3 = cpu(lambda: cn2an.transform(sample, "cn2an"), 1)
    print(
        f"cn2an.transform (numerals in running text, no units or attributes): {len(sample) / dt3:,.0f} characters/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
