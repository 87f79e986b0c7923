"""Names that hold a numeral and a measure word but measure nothing, kept as data.

A number inside one of these is never a mention: 三次产业 is "the three sectors", not "3 次";
零部件 is "parts", not "0 部". The reader blocks every span listed here (with the idioms and slogans
of mentions.py) before it reads a figure; the property tests check that no mention falls inside one.
Add a name here rather than a rule in the code when a new text shows one.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = tuple(
    (
        # economic and statistical terms
        "三次产业 一二三产 一产 二产 三产 零部件 零配件 一次能源 二次能源 一次性 二次供水 二次污染 三次分配"
        " 零距离 零容忍 零投诉 零事故 零门槛 零跑腿 零库存 两个市场 两种资源"
        # campaigns and slogans that read like counts
        " 三支一扶 三会一课 四议两公开 两不愁三保障 一村一品 一县一业 一乡一特 一站式 一网通办 一件事一次办"
        " 一事一议 三个一批 五个一 四个一 两新一重 三区三线 两山 四下基层 三项制度"
        # idioms with 天 (三天 is a count; these are not)
        " 三天两头 三天打鱼 两天晒网 十天半月 十天半个月 九天揽月"
    ).split()
)
