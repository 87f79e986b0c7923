"""Units and measure words: what a number after scaling is counted in, and which kind that makes it.

The lexicon is deliberately closed: a Chinese numeral followed by a character that is not a unit
here is not read as a quantity, which is what keeps 三农, 五比 and 四好 out.
"""

from __future__ import annotations

import re

AMOUNT = "amount"
COUNT = "count"
MEASURE = "measure"
PERCENT = "percent"
GROWTH = "growth"
MULTIPLE = "multiple"
RANK = "rank"
THRESHOLD = "threshold"
KINDS = (AMOUNT, COUNT, MEASURE, PERCENT, GROWTH, MULTIPLE, RANK, THRESHOLD)

# written unit -> (unit as reported, kind). Written forms that carry a scale (万元) are not listed:
# the scale is read with the number, so 万元 is 万 + 元.
UNITS: dict[str, tuple[str, str]] = {}


def _add(kind: str, *names: str, unit: str | None = None) -> None:
    for name in names:
        UNITS[name] = (unit if unit is not None else name, kind)


_add(AMOUNT, *"元 美元 欧元 港元 日元".split())
_add(AMOUNT, "块钱", unit="元")
_add(PERCENT, "%", "‰")
_add(PERCENT, "％", unit="%")
_add(PERCENT, "成")
_add(GROWTH, "个百分点", "百分点", unit="百分点")
_add(MULTIPLE, "倍")
_add(
    MEASURE,
    *"平方公里 平方千米 平方米 平米 立方米 公顷 亩 吨标准煤 吨 千克 公斤 克 斤 公里 千米 延米 米 千瓦时 千瓦 兆瓦"
    " 千伏安 千伏 ℃ 度 升 毫米 厘米 标准箱 标箱 方 微克/立方米 毫克/升 MW GW kW KW kWh MWh km kV t".split(),
)
_add(
    COUNT,
    *"人次 户次 家次 车次 架次 场次 批次 班次 个次 趟次 趟 艘 架 人 户 个 件 项 场 期 届 次 名 位 岁 周年 家 所 座 条 处 支 批 台 辆 套 棵 株 头 只 羽"
    " 张 份 篇 部 册 枚 块 栋 幢 间 盏 眼 孔 根 村 种 类 门 笔 起 例 对 组 队 轮 床 首 集 款 宗 站 年 天".split(),
)
_add(COUNT, "周岁", unit="岁")
# 级 is read only after a bare scale (百亿级产业: a class of firms by money); see mentions.py.
_add(THRESHOLD, "级", unit="元")

# Units that are only read after Arabic digits: after a Chinese numeral they are idiom (四方, 八方).
# 天 is read after a Chinese numeral too (为期三天); its idioms (三天两头) are names in names.py.
ARABIC_ONLY_UNITS = frozenset("t 方 度 集 克 米 升 首 款 对 门 类".split())

# Longest first, so 个百分点 wins over 个, 千瓦时 over 千瓦, 人次 over 人.
UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))


def unit_kind(written: str) -> tuple[str, str]:
    """(unit as reported, kind) for a written unit from the lexicon."""
    return UNITS[written]
