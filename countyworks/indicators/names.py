"""Indicator names as people write them: one normal form, and the synonyms kept as data.

Plain Python (no Django import). Two names are *the same name* when their normal forms are equal
(全县地区生产总值 and 地区生产总值（GDP）); they are *synonyms* when their normal forms are in one group
below (旅游收入 and 旅游营业收入). Neither makes two indicators one by itself: the reading screens
offer an existing indicator with the same or a synonymous name as a choice, and a person decides.
Add a group here when two documents name one measure differently.
"""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "地区生产总值 生产总值 GDP 国内生产总值",
        "旅游收入 旅游营业收入 旅游总收入 旅游综合收入 旅游营收",
        "接待游客 游客接待量 接待游客人次 旅游人次 接待国内游客",
        "社会消费品零售总额 社消零总额 社会消费品零售额",
        "规模以上工业增加值 规上工业增加值",
        "固定资产投资 全社会固定资产投资",
        "一般公共预算收入 地方一般公共预算收入 公共财政预算收入",
        "城镇居民人均可支配收入 城镇居民收入",
        "农村居民人均可支配收入 农民人均可支配收入 农村居民收入 农民收入",
        "城镇新增就业 新增城镇就业",
        "居民消费价格 居民消费价格指数 CPI",
        "粮食总产量 粮食产量",
        "森林覆盖率 森林覆盖面积占比",
    )
)

# Scope and time words that do not change what is measured (全县地区生产总值 is 地区生产总值).
_SCOPE_RE = re.compile(r"^(?:全县|全市|全省|全区|全年|年末|年内|累计|本年|当年|实现|完成|共)+")
_BRACKETS_RE = re.compile(r"[（(][^（）()]{0,12}[）)]")
_NOT_NAME_RE = re.compile(r"[\s“”\"'‘’、，,。：:·]+")
_SPELLINGS = (("规上", "规模以上"), ("社消零", "社会消费品零售"))

_GROUP_OF: dict[str, int] = {}


@lru_cache(maxsize=4096)
def normal_name(name: str) -> str:
    """The name with brackets, quotes, spaces and leading scope words (全县, 全年, 累计…) removed."""
    text = _NOT_NAME_RE.sub("", _BRACKETS_RE.sub("", name or ""))
    for short, full in _SPELLINGS:
        text = text.replace(short, full)
    return _SCOPE_RE.sub("", text) or text


for _i, _group in enumerate(SYNONYM_GROUPS):
    for _name in _group:
        _GROUP_OF[normal_name(_name)] = _i


def synonyms(name: str) -> frozenset[str]:
    """The normal forms that name the same measure as `name` (itself included)."""
    key = normal_name(name)
    group = _GROUP_OF.get(key)
    if group is None:
        return frozenset({key})
    return frozenset(normal_name(n) for n in SYNONYM_GROUPS[group]) | {key}


def relation(proposed: str, existing: str) -> str:
    """How an existing indicator's name relates to a proposed one: "same", "synonym" or ""."""
    a, b = normal_name(proposed), normal_name(existing)
    if a == b:
        return "same"
    if b in synonyms(a):
        return "synonym"
    return ""
