"""Which section of the year-end review a record belongs to (the documented area mapping).

Plain Python: the builder passes in the strings it has (an indicator's `area`, the titles of a
work item's goal-tree nodes, an honour's title) and gets back one of the four area keys.
See docs/reports.md for the table.
"""

from __future__ import annotations

PARTY_ECONOMY = "party_economy"
RURAL_TOURISM = "rural_tourism"
LIVELIHOOD_CITY = "livelihood_city"
SAFETY = "safety"

# (key, section heading in our wording, keywords). The first area whose keyword occurs wins, so
# the more specific areas (rural, livelihood, safety) are tried before the broad economic one.
AREAS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        SAFETY,
        "守牢安全底线，社会大局和谐稳定",
        ("安全", "应急", "稳定", "生态", "环境", "环保", "消防", "防汛", "信访", "平安", "治安", "扫黑"),
    ),
    (
        RURAL_TOURISM,
        "乡村振兴与文旅融合协同推进",
        ("乡村", "农", "旅游", "文旅", "景区", "振兴", "太行", "村", "帮扶", "脱贫"),
    ),
    (
        LIVELIHOOD_CITY,
        "民生福祉持续增进，城市面貌焕然一新",
        (
            "民生",
            "教育",
            "医疗",
            "卫生",
            "就业",
            "养老",
            "社会",
            "城",
            "住房",
            "交通",
            "社保",
            "学校",
            "医院",
        ),
    ),
    (
        PARTY_ECONOMY,
        "党建引领发展，县域经济稳中有进",
        ("党", "经济", "工业", "项目", "投资", "财政", "招商", "营商", "产业", "转型", "企业", "税"),
    ),
]
AREA_KEYS = [key for key, _title, _words in AREAS]
# The review reads like the seed: party building and the economy first, safety last.
AREA_KEYS_IN_REVIEW_ORDER = [PARTY_ECONOMY, RURAL_TOURISM, LIVELIHOOD_CITY, SAFETY]
AREA_TITLES = {key: title for key, title, _words in AREAS}
# Short names for chart axes, where the full headings would overlap.
AREA_SHORT_NAMES = {
    PARTY_ECONOMY: "党建与经济",
    RURAL_TOURISM: "乡村振兴与文旅",
    LIVELIHOOD_CITY: "民生与城市",
    SAFETY: "安全稳定",
}

# A work item's kind decides its area when the kind belongs to one area of work by nature.
KIND_AREA = {"livelihood": LIVELIHOOD_CITY, "rectification": PARTY_ECONOMY, "research": PARTY_ECONOMY}
DEFAULT_AREA = PARTY_ECONOMY


def area_from_text(*texts: str) -> str | None:
    """The area a label names: an exact key, or the first area with a keyword in the texts."""
    for text in texts:
        if text in AREA_KEYS:
            return text
    for text in texts:
        for key, _title, words in AREAS:
            if any(word in (text or "") for word in words):
                return key
    return None


def item_area(kind: str, node_titles: list[str], title: str) -> str:
    """A work item's area: by kind if the kind fixes it, else its goal-tree branch, else its title."""
    if kind in KIND_AREA:
        return KIND_AREA[kind]
    # The nearest node speaks first: a task group under 经济 may still be 安全生产.
    return area_from_text(*reversed(node_titles)) or area_from_text(title) or DEFAULT_AREA
