"""`make bench`: characters per second of the quantity reader over a large body of text in the genre.

The body is the development seed (read from ../shared/seed, never copied here) and sentences written
for this benchmark in the style of work reports and statistical bulletins, repeated to about 2 MB.
If cn2an is installed its numeral reading is timed beside ours, since it is the library that would
otherwise read Chinese numerals.
"""

from __future__ import annotations

import random
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from countyworks.textread import extract_mentions, parse_number, to_chinese  # noqa: E402

SEED_DIR = REPO / ".." / "shared" / "seed"
TEMPLATES = [
    "{y}年，全县地区生产总值完成{a}亿元，同比增长{p}%。",
    "全年一般公共预算收入{a}亿元，比上年下降{p}%，税收占比达到{p}%。",
    "新增城镇就业{n}人，城镇登记失业率控制在{p}%以内，为全县{n}名60岁以上老人发放补贴{a}万元。",
    "实施重点项目{n}个，完成投资{a}亿元，其中亿元以上项目{n}个，累计接待游客约{n}万人次。",
    "粮食播种面积稳定在{a}万亩，新建改造农村公路{n}公里，建成口袋公园{n}处，森林覆盖率较“十三五”末提高{p}个百分点。",
    "坚持“两个毫不动摇”，深入推进“三农”工作，以“五比”活动为抓手，一项项惠民举措落地见效，八方游客纷至沓来。",
    "光伏装机容量达到{n}万千瓦，在全市考核中排名第{k}，八成以上的行政村集体经济收入超过{n}万元。",
]


def build_corpus(target_chars: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    parts: list[str] = []
    seed_texts = (
        [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))] if SEED_DIR.is_dir() else []
    )
    size = 0
    while size < target_chars:
        if seed_texts and rnd.random() < 0.02:
            piece = rnd.choice(seed_texts)
        else:
            piece = rnd.choice(TEMPLATES).format(
                y=rnd.randint(2018, 2025),
                a=round(rnd.uniform(0.5, 300), 1),
                p=round(rnd.uniform(0.1, 30), 1),
                n=rnd.randint(2, 5000),
                k=rnd.randint(1, 12),
            )
        parts.append(piece)
        size += len(piece)
    # Paragraph-sized documents, as the reader sees them in practice.
    return "\n".join(parts)


def timed(fn, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def main() -> int:
    corpus = build_corpus(2_000_000)
    docs = [corpus[i : i + 20_000] for i in range(0, len(corpus), 20_000)]
    extract_mentions(docs[0], doc_id="warmup")
    best = float("inf")
    count = 0
    for _ in range(3):
        t0 = time.perf_counter()
        count = sum(len(extract_mentions(d, doc_id=f"d{i}")) for i, d in enumerate(docs))
        best = min(best, time.perf_counter() - t0)
    chars = len(corpus)
    print(
        f"textread.extract_mentions: {chars:,} characters, {count:,} mentions, {best:.3f} s, "
        f"{chars / best:,.0f} characters/s (one core, best of 3)"
    )

    numerals = [to_chinese(random.Random(i).randint(1, 10**9)) for i in range(20_000)]
    dt, _ = timed(lambda: [parse_number(s) for s in numerals])
    print(f"textread.parse_number: {len(numerals) / dt:,.0f} Chinese numerals/s")
    try:
        import cn2an  # type: ignore[import-untyped]
    except ImportError:
        print("cn2an not installed: no comparison")
        return 0
    dt2, _ = timed(lambda: [cn2an.cn2an(s, "smart") for s in numerals])
    print(
        f"cn2an.cn2an (smart): {len(numerals) / dt2:,.0f} Chinese numerals/s "
        f"({dt2 / dt:.1f}x the time of textread.parse_number)"
    )
    sample = corpus[:200_000]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on every label it cannot read (十三五, 千万)
        dt3, _ = timed(lambda: cn2an.transform(sample, "cn2an"))
    print(
        f"cn2an.transform (numerals in running text, no units or attributes): {len(sample) / dt3:,.0f} characters/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
