"""The quantity-mention extractor.

One precompiled regular expression finds every candidate (a number with a unit, a rank, a fraction,
a share) in a single pass over the text; each candidate is then checked against what official
Chinese texts use numbers for that are not quantities (labels, slogans, idioms, ordinals, years),
and given a kind, qualifier, subject, period and base period from its clause and sentence.

Ranges (3至5个, 3-5万元, 5到8亿元, 10~20家, 连续三至五年) are one mention whose span covers the whole
range. `value` is the low end as written, which is what the JSON Lines format carries (it has no field
for the other end), and `value_high` the high end, in memory only (None when the figure is not a
range). A scale word written once applies to both ends: 3-5万元 is 30000..50000 元. The unit may also
be written on both ends (增长6%-8%, 3亿元至5亿元): then each end keeps its own scale word and the kind is
that of the first end (a growth after 增长); two different units (6%-8亿元) make no range. With no
qualifier word the qualifier of a range is `at_least` (the quantity is at least its low end); a
written one wins (近3至5万人 is `nearly`). Pairs that are not ranges of a quantity are left alone:
dates (3-5月, 2023-2024年) have no unit, and a pair that does not rise (5-3个) is not read at all;
one with the unit on both ends that does not rise (8%-6%) is read as the two figures it is.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass

from countyworks.wording import SCALE_WORDS

from . import units as U
from .names import NAMES
from .numerals import CN_NUMERAL_CHARS, SCALES, parse_number
from .periods import (
    BASE,
    PERIOD,
    SPAN,
    MonthRef,
    YearRef,
    base_from_context,
    find_month_spans,
    find_plans,
    find_relative_years,
    find_years,
)
from .structure import Joined, join_lines
from .tables import find_tables

# A capital letter may stand right before a number (GDP356.2亿元); _read decides whether it is a name (G207).
_AR = r"(?<![0-9a-z.,/])[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_CN = rf"(?<![{CN_NUMERAL_CHARS}])[{CN_NUMERAL_CHARS}]+"
# Scale words, longest first (the regex takes the first that matches); 千 before 瓦/米/克/伏 is
# part of the unit (10万千瓦), not a scale.
_SCALE_WORDS_LONGEST_FIRST = tuple(sorted(SCALE_WORDS, key=len, reverse=True))
_SCALE = "(?:" + "|".join("千(?![瓦米克伏])" if w == "千" else w for w in _SCALE_WORDS_LONGEST_FIRST) + ")"
_NUM = rf"(?:{_AR}{_SCALE}?|{_CN})"
_RSEP = r"(?:至|到|~|～|-|—|－)"
_PRE = r"将近|接近|大约|超过|突破|不足|不到|不低于|不少于|不超过|多达|高达|逾|近|超|约|过|上"

MENTION_RE = re.compile(
    # Every alternative starts with one of these characters: the lookahead lets the engine skip the
    # other positions at once instead of trying each alternative there (3x faster over a document).
    rf"(?=[0-9０-９{CN_NUMERAL_CHARS}第将接大超突不多高逾近约过上\-−－])"
    rf"(?:(?P<pre>{_PRE})?"
    # A minus sign right before a number (人口自然增长率-1.3‰, 增速为-2.6%): a negative figure.
    r"(?P<neg>(?<![0-9０-９A-Za-z.%％])[-−－](?=[0-9０-９]))?"
    rf"(?P<num>{_NUM})"
    rf"(?:(?P<rsep>{_RSEP})(?P<num2>{_NUM}))?"
    r"(?P<approx>余|多|来)?"
    rf"(?P<scale2>{_SCALE})?"
    rf"(?P<unit>{U.UNIT_PATTERN})"
    # A range whose unit is written on both ends (6%-8%, 3亿元至5亿元): the same unit again, and only when
    # the first end is not itself a range.
    rf"(?(num2)|(?:(?P<rsep2>{_RSEP})(?P<num3>{_NUM})(?P=unit))?)"
    r"(?P<post>及以上|以上|以下|以内|左右|上下|之多)?"
    r"|(?P<rank>第(?P<rnum>[0-9]+|[一二三四五六七八九十]+)(?P<runit>名|位)?)"
    r"|(?P<frac>(?<![0-9/.])[0-9]+/[0-9]+(?![0-9/.]))"
    rf"|(?P<cnfrac>(?P<fden>[{CN_NUMERAL_CHARS}]+)分之(?P<fnum>[{CN_NUMERAL_CHARS}]+))"
    # Parts of a structure (三次产业结构为18.4:30.1:51.5): three to five numbers joined by colons.
    r"|(?P<ratio>(?<![0-9０-９.:：])[0-9]+(?:\.[0-9]+)?(?:[:：][0-9]+(?:\.[0-9]+)?){2,4}(?![0-9.:：]))"
    r"|(?P<medal>(?P<mnum>(?<![0-9])[0-9]+|(?<![一二两三四五六七八九十])[一二两三四五六七八九十]+)(?P<mkind>金牌|银牌|铜牌|金|银|铜)))"
)

# Idioms, slogans and place names that contain a number followed by a measure word.
_IDIOMS = (
    "万家灯火 千家万户 千方百计 四面八方 五湖四海 千山万水 千军万马 万无一失 三令五申 "
    "五位一体 四个意识 四个自信 两个维护 两个确立 四个全面 三个代表 两个毫不动摇 "
    "五台山 七台河 三门峡 二次创业 九曲十八弯 十八弯 三头六臂 七上八下 一带一路 "
    "百花齐放 千年古县 四季 八方 十里八乡 三番五次 千头万绪 两学一做 十万火急 十万八千里"
).split()
_IDIOM_RE = re.compile("|".join(sorted(set(_IDIOMS) | set(NAMES), key=len, reverse=True)))
# A short quoted run is a name or slogan: “121”工程, “三地一区”.
_QUOTE_RE = re.compile(r"[“\"「『《][^”\"」』》\n]{1,16}[”\"」』》]")
# Titles can be longer than a slogan; a relative year inside one (《今年花胜去年红》) is not a period.
_TITLE_RE = re.compile(r"《[^》\n]{1,60}》")
# The tail of a range whose low end was read as something else (第3-5名, 2023-5): not a figure alone.
_RANGE_TAIL_RE = re.compile(rf"[0-9０-９{CN_NUMERAL_CHARS}][至到~～\-—－]$")

_CLAUSE_DELIMS = "，,。；;！？!?：:\n（）()—…"
# Subjects read through brackets (生产总值（GDP）实现...): the bracketed words are dropped instead.
_TOPIC_DELIMS = "，,。；;！？!?：:\n—…"
_SUBJECT_DELIMS = _TOPIC_DELIMS + "、"
_PAREN_RE = re.compile(r"[（(][^（）()]{0,16}[）)]")
# Clauses that qualify a figure rather than name anything (按可比价格计算), skipped when carrying a topic.
_ASIDE_RE = re.compile(r"^(?:按|扣除|据|经|剔除|初步核算|其中$)")

_REJECT_BEFORE = {
    "过": "经通超越度跨穿路错改看做胜不放难走渡闯",
    "约": "节制预签邀相条合契公隐违履特",
    "近": "最附临靠亲贴逼",
    "超": "赶高",
    "上": "以之向",
}
_QUALIFIER_PRE = {
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "超过": "over",
    "突破": "over",
    "超": "over",
    "过": "over",
    "逾": "over",
    "上": "over",
    "约": "approx",
    "大约": "approx",
    "不足": "under",
    "不到": "under",
    "不超过": "under",
    "不低于": "at_least",
    "不少于": "at_least",
    "多达": "exact",
    "高达": "exact",
}
_QUALIFIER_POST = {
    "以上": "at_least",
    "及以上": "at_least",
    "以下": "under",
    "以内": "under",
    "左右": "approx",
    "上下": "approx",
    "之多": "exact",
}

_CHANGE_RE = re.compile(
    r"(增长|增加|提高|提升|上升|上涨|增速|增幅|涨幅|下降|减少|降低|回落|下滑|降幅|减幅|下跌|缩减|增|降)"
    r"(?:率|速度)?(?:了|为|达到|达|是)?$"
)
_FALL_WORDS = ("下降", "减少", "降低", "回落", "下滑", "降幅", "减幅", "下跌", "缩减")
_PP_CHANGE_RE = re.compile(r"增长|增加|提高|提升|上升|下降|减少|降低|回落|下滑|同比|环比|增|降|多|少")
_NULL_PERIOD_RE = re.compile(r"连续|年产|年均|年处理|年发电|年吞吐|年接待能力|设计|装机|每年|年出栏|年存栏")
# Words that end a noun phrase on its right: predicates and adverbs that start the verb phrase.
# Single characters such as 共 or 为 are left out: they are too often inside nouns (公共, 作为).
_PREDICATE_RE = re.compile(
    r"等|扎实|相继|全部|全面|顺利|正式|已经|已(?!婚)|预计|正在|陆续|基本|持续|有序|有效|稳步|率先|成功|先后|累计|共计|合计"
    r"|建成|完成|实现|取得|获得|达到|成为|入选|开工|竣工|投用|投产|落地|签约|推进|通过|得到|受益|参与|参加|发放"
    r"|享受|入驻|落户|纳入|列入|进入|申报|认定|惠及|带动|位居|位列|排名|增长(?![率点极])|下降|提高(?!率)|减少"
    r"|增加(?![值额])|上涨|下跌|同比|环比"
    r"|较上年|比上年|较去年|比去年|突破|超过|是|被评为|评为|获评|认定为|荣获|控制在|稳定在|保持在"
)
# Verbs whose object is not what is measured: the subject starts after them.
# (not followed by 率/区/面积...: 覆盖率 and 建成区 are nouns)
_BOUNDARY_VERB_RE = re.compile(
    r"(?:完成|实现|入选|成为|通过|获得|荣获|获评|建成|投用|打造|创建|新建|改造|开工|签约|引进|开展|举办|组织|培育"
    r"|推进|惠及|确保|力争|拥有|共有|认定|评为|列为|争取|安排|发放|兑现|实施|出台|启动|庆祝|纪念|迎来|吸引|带动|提升)(?![率区面量额数])"
)
_LEAD_RE = re.compile(
    r"^(?:(?:19|20)[0-9]{2}年(?:度|底|末|初)?|(?:今年|去年|上年|前年|明年)(?:以来|度|底|末|初)?|全年|一年来|近年来|目前|(?:第?[一二三四]|前三)季度|上半年|下半年|1[-—至]\d{1,2}月|截至\S*?(?:底|末)"
    r"|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十0-9]{1,3}[）)]|其余|其中|同时|此外|另外|并且|仍有|并|且|还|又|已|均|分别|共计|合计|总计|共|累计|连续|是|为|以|把|将|对|由|从|其|达到|达"
    r"|高质量|全力|积极|大力|共同|顺利|成功)+"
)
_TRAIL_RE = re.compile(
    r"(?:(?:较|比|与|同)(?:上年|去年|上一年|上年同期|同期|年初|上月|(?:19|20)[0-9]{2}年|十[一二三四五六七八九]五末)?"
    r"(?:相比)?)?"
    r"(?:同比|环比)?(?:分别|均|共|累计|合计|年均|首次|再次|首度|已经|已|预计|稳定)?"
    r"(?:增长|下降|增加|减少|提高|提升|降低|上升|上涨|下跌|回落|多增|少增|增|降)?(?:了)?"
    r"(?:达到|达|为|是|至|到|共|约|有|在|于|突破|超过|超|近|逾|过|占|完成|实现|控制在|稳定在|保持在|共有|拥有)?"
    r"(?:了)?(?:的)?$"
)
# 位居全市第一: the rank's subject is what comes before the ranking verb and its scope.
_RANK_TAIL_SCOPE = r"(?:全国|全省|全市|全县|全区|同类县|[^，。]{0,8}?中)"
_RANK_TAIL_RE = re.compile(
    rf"(?:(?:位居|位列|排名|排在|名列|居于){_RANK_TAIL_SCOPE}?|(?:居|列){_RANK_TAIL_SCOPE})(?:前列)?$"
)
_LIST_SEP_RE = re.compile(r"^[、和及与以及]*$")
# Verbs of reach: what they reach is counted for the topic of the clause before (惠及254个行政村).
_REACH_RE = re.compile(r"^(?:惠及|覆盖|带动|辐射|涉及|包括|包含|下辖|辖|受益|服务|吸纳|安置)")
# A threshold between a count and its noun (1.2万名80岁以上老人): the noun is after it.
_LEADING_ATTR_RE = re.compile(r"^[0-9０-９.．]+[^\s，。、0-9]{1,3}?(?:及以上|以上|以下)")
_CN_COUNT_RE = re.compile(r"[一二两三四五六七八九十百千万]+[个件项名人亩万亿家所座处条]")
_SCOPE_ONLY_RE = re.compile(r"^(?:全县|全市|全省|全国|全区|全镇|全乡|全州|全盟|全旗|全年)?$")
_RIGHT_LEAD_RE = re.compile(
    r"^(?:的成绩|的好成绩|的成果|的名次|的)?(?:顺利|成功|先后|率先)?(?:通过|获得|完成)?"
)
_QUOTES_TABLE = str.maketrans("", "", '“”"‘’「」『』《》')

_NAME_AFTER_QI = ("工程", "项目", "工作", "建设")
_NAME_AFTER_JIE = ("中全会", "人大", "政协", "全会", "党代会", "全国", "省委", "市委", "县委", "中央", "一次")
_DURATION_AFTER_GE = ("月", "小时", "工作日", "星期", "季度", "多月")
_THRESHOLD_STOP = ("大关", "关口", "台阶", "规模", "目标", "水平", "任务")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_OTHER_COMPARISON_RE = re.compile(
    r"(?:高于|低于|快于|慢于|领先|落后于?)(?:全国|全省|全市|全县|平均|序时|同类|计划)"
)
# 第5、6件, 第三至五批: the numbers after an ordinal's list separator are ordinals too.
_ORDINAL_LIST_RE = re.compile(
    r"第[0-9０-９一二三四五六七八九十]+(?:[、和及与至到~-][0-9０-９一二三四五六七八九十]+)*[、和及与至到~-]$"
)
# 期 after a Chinese numeral is a phase (二期, 三期扩建) unless it counts sessions: 四期读书班, 分两期,
# 举办三期培训. 两 is never an ordinal.
_QI_COUNT_BEFORE = ("分", "共", "办", "举办", "开办", "开展", "组织", "举行", "连续")
_QI_COUNT_AFTER = ("班", "培训", "读书", "研修", "讲座", "课程", "轮训", "活动", "论坛")
_LATIN_RUN_RE = re.compile(r"[A-Za-z]+$")
_DIGIT_RE = re.compile(r"[0-9０-９]")
# A digit that starts a figure, not one inside a name such as PM2.5 or G207.
_FREE_DIGIT_RE = re.compile(r"(?<![A-Za-z0-9０-９.])[0-9０-９]")
_MEDAL_NEXT_RE = re.compile(r"[、和]?(?:[0-9]+|[一二两三四五六七八九十]+)(?:金|银|铜)")
_LIST_TAIL_RE = re.compile(r"(?:[0-9０-９.．]+(?:%|％|个百分点|百分点)?[、和及与]?)+$")


@dataclass(slots=True)
class Mention:
    doc: str
    start: int
    end: int
    text: str
    kind: str
    value: float
    unit: str
    qualifier: str
    subject: str | None
    period: str | None
    base_period: str | None
    # The high end of a range (3至5个 → 5); None when the figure is not a range. Not in `as_dict`:
    # the interchange format reports a range by its low end in `value`.
    value_high: float | None = None
    # The months of the year the figure covers when the text says so (1-10月 → (1, 10), 一季度 →
    # (1, 3)); None for a whole year or none written. In memory only, like value_high: the format's
    # `period` stays the year.
    months: tuple[int, int] | None = None

    def as_dict(self) -> dict[str, object]:
        # Written out rather than dataclasses.asdict, which deep-copies every field (a tenth of the
        # time of reading a document in went there).
        v = self.value
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "value": int(v) if float(v).is_integer() and abs(v) < 1e15 else v,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "period": self.period,
            "base_period": self.base_period,
        }


@dataclass(slots=True)
class _Prev:
    """The mention before, within the same sentence: lists and attributive figures refer back to it."""

    start: int
    end: int
    right_end: int
    subject: str | None
    attributive: bool


@dataclass(slots=True)
class _Ctx:
    joined: Joined
    text: str  # joined text
    years: list[YearRef]
    year_starts: list[int]
    plans: list
    blocked: list[tuple[int, int]]
    blocked_starts: list[int]
    sentence_bounds: list[int]
    para_bounds: list[int]
    section_years: list[tuple[int, int | None]]
    section_starts: list[int]
    doc_year: int | None
    plan_starts: list[int]
    clause_pos: list[int]
    subject_pos: list[int]
    topic_pos: list[int]
    months: list[MonthRef]
    month_starts: list[int]


_RATIO_PART_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _one_per_cell(reads: Iterator[_Read], spans: list[tuple[int, int]], starts: list[int]) -> Iterator[_Read]:
    """The readings with at most one in each table cell (the first one in text order)."""
    used: set[int] = set()
    for res in reads:
        i = bisect.bisect_right(starts, res[0]) - 1
        if i >= 0 and res[0] < spans[i][1]:
            if i in used:
                continue
            used.add(i)
        yield res


def _is_blocked(ctx: _Ctx, start: int, end: int) -> bool:
    i = bisect.bisect_right(ctx.blocked_starts, start) - 1
    for j in (i, i + 1):
        if 0 <= j < len(ctx.blocked):
            bs, be = ctx.blocked[j]
            if bs < end and start < be:
                return True
    return False


def _bounds(bounds: list[int], pos: int, size: int) -> tuple[int, int]:
    i = bisect.bisect_right(bounds, pos)
    start = bounds[i - 1] + 1 if i else 0
    end = bounds[i] if i < len(bounds) else size
    return start, end


def _positions(text: str, delims: str) -> list[int]:
    return [m.start() for m in re.finditer("[" + re.escape(delims) + "]", text)]


def _clause_start(positions: list[int], pos: int, floor: int) -> int:
    """Just after the last delimiter before `pos`, but not before `floor`."""
    i = bisect.bisect_left(positions, pos) - 1
    return max(positions[i] + 1, floor) if i >= 0 else floor


def _clause_end(positions: list[int], pos: int, ceil: int) -> int:
    i = bisect.bisect_left(positions, pos)
    return min(positions[i], ceil) if i < len(positions) else ceil


_COMPARE_TAIL_RE = re.compile(
    r"(?:是|为|较|比|与|同|相当于)(?:上年|去年|上一年|上年同期|同期|(?:19|20)[0-9]{2}年(?:同期)?|十[一二三四五六七八九]五末?)"
    r"(?:相比)?(?:的)?$"
)


def _strip_trailing(s: str) -> str:
    s = _COMPARE_TAIL_RE.sub("", s)
    for _ in range(3):
        m = _TRAIL_RE.search(s)
        if not m or m.start() == len(s):
            break
        s = s[: m.start()]
    return s


# Compiled once: these run for every mention, and re's own cache lookup costs more than the match.
_EACH_ONE_RE = re.compile(r"[又每]?一(?:家|个|项|批|座|处|所)")
_TRAILING_QUALIFIER_RE = re.compile(r"(?:将近|接近|近|超过|超|约|逾)$")
_RANK_VERB_RE = re.compile(r"排名|排|位列|位居|居|列|名列|获得|荣获|夺得")


def _unbracketed(s: str) -> str:
    """`s` without its quotes and short bracketed asides (the sub is skipped when there are none)."""
    s = s.translate(_QUOTES_TABLE)
    return _PAREN_RE.sub("", s) if ("（" in s or "(" in s) else s


def _clean_left(s: str) -> str:
    s = _unbracketed(s).rstrip("（(")
    s = _strip_trailing(s)
    s = _RANK_TAIL_RE.sub("", s)
    cut = max((m.end() for m in _BOUNDARY_VERB_RE.finditer(s)), default=0)
    s = s[cut:]
    s = _LEAD_RE.sub("", s)
    if "一" in s:
        s = _EACH_ONE_RE.sub("", s)
    return s.strip()


def _head_np(s: str) -> str:
    """The noun phrase a clause starts with: up to its first predicate word."""
    s = _LEAD_RE.sub("", _unbracketed(s))
    if _ASIDE_RE.match(s):
        return ""
    m = _PREDICATE_RE.search(s)
    np = s[: m.start()] if m else s
    if m and _SCOPE_ONLY_RE.match(np):
        # 全县完成固定资产投资89.6亿元: with only a scope before the verb, its object is the topic.
        np = s[m.end() :]
        while (lead := _PREDICATE_RE.match(np)) is not None and lead.end():
            np = np[lead.end() :]
        np = _LEAD_RE.sub("", np)
        m2 = _PREDICATE_RE.search(np)
        np = np[: m2.start()] if m2 else np
    d = _FREE_DIGIT_RE.search(np) or _CN_COUNT_RE.search(np)
    if d:
        np = np[: d.start()]
    np = _TRAILING_QUALIFIER_RE.sub("", np)
    return "" if _SCOPE_ONLY_RE.match(np) or len(np) > 24 else np


def _right_np_end(s: str) -> int:
    """Where the noun phrase right after a figure ends, in `s` as written (0 when there is none)."""
    i = 1 if s.startswith("的") else 0
    if i >= len(s) or not _CJK_RE.match(s[i]):
        return 0
    m = _PREDICATE_RE.search(s, i)
    e = m.start() if m else len(s)
    d = _DIGIT_RE.search(s, i, e)
    return min(d.start() if d else e, i + 12)


def _right_np(s: str) -> str:
    s = _LEADING_ATTR_RE.sub("", _unbracketed(s))
    if s.startswith("的"):
        s = s[1:]
    if not s or not _CJK_RE.match(s[0]):
        return ""
    m = _PREDICATE_RE.search(s)
    np = s[: m.start()] if m else s
    d = _DIGIT_RE.search(np)
    if d:
        np = np[: d.start()]
    return np[:12]


# start, end, kind, value, unit, qualifier, end of the noun phrase after it, high end of a range,
# subject when the reading gives it (a table cell's row and column), else None
_Read = tuple[int, int, str, float, str, str, int, float | None, str | None]


class _Extractor:
    def __init__(self, text: str, doc_id: str, doc_year: int | None) -> None:
        joined = join_lines(text)
        j = joined.text
        years = find_years(j)
        blocked = sorted(
            [m.span() for m in _IDIOM_RE.finditer(j)] + [m.span() for m in _QUOTE_RE.finditer(j)]
        )
        sentence_bounds = [m.start() for m in re.finditer(r"[。；;！？!?\n]", j)]
        para_bounds = [m.start() for m in re.finditer(r"\n", j)]
        # Relative years (今年, 去年) need a year the caller gave or the document id names; the
        # fallback period below may also be guessed from the years the text mentions most.
        known_year = doc_year if doc_year is not None else _year_of_doc_id(doc_id)
        if doc_year is None:
            doc_year = known_year if known_year is not None else _most_mentioned_year(years)
        relative = find_relative_years(j, known_year, blocked + [m.span() for m in _TITLE_RE.finditer(j)])
        if relative:
            years = sorted(years + relative, key=lambda y: y.start)
        section_years = _section_years(j, known_year)
        plans = find_plans(j)
        months = find_month_spans(j)
        self.ctx = _Ctx(
            joined,
            j,
            years,
            [y.start for y in years],
            plans,
            blocked,
            [b[0] for b in blocked],
            sentence_bounds,
            para_bounds,
            section_years,
            [pos for pos, _ in section_years],
            doc_year,
            [p.start for p in plans],
            _positions(j, _CLAUSE_DELIMS),
            _positions(j, _SUBJECT_DELIMS),
            _positions(j, _TOPIC_DELIMS),
            months,
            [mr.start for mr in months],
        )
        self.tables = find_tables(j) if ("|" in j or "\t" in j) else []
        self.doc_id = doc_id
        self.original = text

    def run(self) -> list[Mention]:
        out: list[Mention] = []
        ctx = self.ctx
        t = ctx.text
        prev: _Prev | None = None
        sentence: list[Mention] = []  # mentions of the current sentence so far
        respective: list[Mention] = []  # a 分别 list being read: 分别增长2.1%和3.4%
        for res in self._reads():
            start, end, kind, value, unit, qualifier, right_end, value_high, given_subject = res
            if _is_blocked(ctx, start, end):
                continue
            s0, _ = _bounds(ctx.sentence_bounds, start, len(t))
            if prev is not None and prev.end < s0:
                prev = None
            subject = given_subject or self._subject(start, end, kind, prev)
            is_member = (
                prev is not None and bool(respective) and bool(_LIST_SEP_RE.match(t[prev.end : start]))
            )
            if not is_member:
                _assign_respectively(respective, sentence)
                respective = []
                if prev is None:
                    sentence = []
            period = self._period(start, end, kind)
            base = None
            if kind in (U.GROWTH, U.MULTIPLE):
                year = int(period) if period and period.isdigit() else None
                # Only the years and plans of the sentence so far (the whole lists would make it quadratic).
                b = base_from_context(
                    t[s0:start],
                    year,
                    ctx.years[
                        bisect.bisect_left(ctx.year_starts, s0) : bisect.bisect_left(ctx.year_starts, start)
                    ],
                    ctx.plans[
                        bisect.bisect_left(ctx.plan_starts, s0) : bisect.bisect_left(ctx.plan_starts, start)
                    ],
                    s0,
                )
                if (
                    b is None
                    and kind == U.GROWTH
                    and year is not None
                    and not self._compared_with_other(start)
                ):
                    # FORMAT: a growth with no comparison written is year-on-year (增长4.2% in a bulletin).
                    b = year - 1
                base = str(b) if b is not None else None
            ostart = ctx.joined.to_original(start)
            oend = ctx.joined.to_original(end, is_end=True)
            mention = Mention(
                self.doc_id,
                ostart,
                oend,
                self.original[ostart:oend],
                kind,
                value,
                unit,
                qualifier,
                subject,
                period,
                base,
                value_high,
                self._months(start) if period is not None else None,
            )
            out.append(mention)
            lead = t[max(prev.end if prev else s0, s0) : start]
            if is_member:
                respective.append(mention)
            elif "分别" in lead:
                if _names_own_subject(lead):
                    # 城乡居民人均可支配收入分别增长5%和6.5%: the list has its own subject, written before
                    # 分别; the figures before it in the sentence are of something else.
                    sentence = []
                respective.append(mention)
            else:
                sentence.append(mention)
            attributive = right_end > end and (kind == U.THRESHOLD or kind == U.MEASURE)
            prev = _Prev(start, end, right_end, subject, attributive)
        _assign_respectively(respective, sentence)
        return out

    # -- reading one candidate -------------------------------------------------------------------
    def _reads(self) -> Iterator[_Read]:
        """Every reading in text order: the figures of the running text merged with table cells."""
        if not self.tables:
            return self._text_reads()
        cells = sorted(
            (
                (c.start, c.end, c.kind, c.value, c.unit, "exact", c.end, None, c.subject)
                for table in self.tables
                for c in table.cells
            ),
            key=lambda r: r[0],
        )
        spans = sorted(span for table in self.tables for span in table.spans)
        starts = [s for s, _ in spans]
        return _one_per_cell(heapq.merge(self._text_reads(), cells, key=lambda r: r[0]), spans, starts)

    def _text_reads(self) -> Iterator[_Read]:
        t = self.ctx.text
        for m in MENTION_RE.finditer(t):
            if m.group("ratio") is not None:
                yield from self._read_ratio(m)
                continue
            res = self._read(m)
            if res is not None:
                yield res
            elif m.group("num3") is not None:
                # Not a range after all (8%-6%, 2023年-2024年): each end is read on its own, exactly as
                # when ranges were not tried, so a failed range never hides a figure.
                for part in (
                    MENTION_RE.match(t, m.start(), m.end("unit")),
                    MENTION_RE.match(t, m.start("num3"), m.end()),
                ):
                    res = self._read(part) if part is not None else None
                    if res is not None:
                        yield res

    def _read(self, m: re.Match[str]) -> _Read | None:
        t = self.ctx.text
        if m.group("rank") is not None:
            return self._read_rank(m)
        if m.group("medal") is not None:
            return self._read_medal(m)
        if m.group("frac") is not None or m.group("cnfrac") is not None:
            if m.group("cnfrac") is not None and m.group("fden") == "百":
                value = parse_number(m.group("fnum"))
                return (
                    (m.start(), m.end(), U.PERCENT, value, "%", "exact", m.end(), None, None)
                    if value is not None
                    else None
                )
            value = parse_number(m.group())
            if value is None or value > 1:
                return None
            # Reported as written in the format's settled cases: a share rounded to 4 places.
            return m.start(), m.end(), U.PERCENT, round(value, 4), "", "exact", m.end(), None, None
        num = m.group("num")
        written_unit = m.group("unit")
        unit, kind = U.unit_kind(written_unit)
        num_start = m.start("num")
        end = m.end()
        after = t[end : end + 4]
        before = t[max(0, num_start - 2) : num_start]
        is_cn = num[0] in CN_NUMERAL_CHARS
        scale2 = m.group("scale2") or ""
        # 十万 is an ordinary numeral (ten ten-thousands); the other scale words alone are idiom-prone.
        bare_scale = is_cn and num in SCALES and num != "十万"
        if before.endswith(("第", "每")) or (is_cn and before.endswith(("几", "数"))):
            # 第二批 is an ordinal, 每万人 a denominator, 数十个 a vague amount.
            return None
        if _RANGE_TAIL_RE.search(before):
            return None
        if _ORDINAL_LIST_RE.search(t[max(0, num_start - 12) : num_start]):
            return None  # 第5、6件: the sixth item, not six items
        if before[-1:].isascii() and before[-1:].isalpha():
            # GDP356.2亿元 and CPI上涨 read on; a single letter (G207, B1栋) or PM2.5 is a name.
            letters = _LATIN_RUN_RE.search(t[max(0, num_start - 8) : num_start])
            run = letters.group() if letters else ""
            if len(run) < 2 or not run.isupper() or run.endswith("PM"):
                return None
        if is_cn:
            if num in ("一", "零", "〇"):
                return None
            if written_unit in U.ARABIC_ONLY_UNITS:
                return None
            if after[:1] == written_unit[-1]:
                return None  # 一项项, 两个个: reduplication
        if written_unit == "年" and not before.endswith("连续"):
            return None
        if written_unit == "个" and after.startswith(_DURATION_AFTER_GE):
            return None
        if written_unit == "个" and after[:1] == "一":
            return None  # 四个一: a slogan
        if written_unit == "期" and not t[max(0, num_start - 2) : num_start].endswith(_QI_COUNT_BEFORE):
            if after.startswith(_NAME_AFTER_QI):
                return None  # 二期工程
            if is_cn and num != "两" and not after.startswith(_QI_COUNT_AFTER):
                return None  # 县人民医院二期, 产业园三期: a phase is a name
        if written_unit == "届" and (
            after.startswith(_NAME_AFTER_JIE)
            or before.endswith("党的")
            or (after[:1] in CN_NUMERAL_CHARS and after[1:2] == "中")
        ):
            return None
        if written_unit == "成" and after[:1] in "为功立效果交绩本品都熟":
            return None
        if (
            not is_cn
            and written_unit in ("届", "级", "期", "年")
            and len(num) == 4
            and num[:2] in ("19", "20")
        ):
            return None  # 2023届: a cohort, not a count
        value = parse_number(num + scale2) if scale2 else parse_number(num)
        if value is None:
            return None
        value_high = None
        if m.group("num2"):
            rng = _range(num, m.group("num2"), scale2, value)
            if rng is None:
                return None
            value, value_high = rng
        elif m.group("num3"):
            # The unit written on both ends (5万元-8万元): each end is scaled by its own scale word.
            value_high = parse_number(m.group("num3"))
            if value_high is None or value_high <= value:
                return None
        pre = m.group("pre")
        qualifier = "exact"
        start = num_start
        if m.group("neg"):
            start = m.start("neg")
            value = -value
            value_high = -value_high if value_high is not None else None
        if pre:
            prev = t[m.start() - 1 : m.start()] if m.start() else ""
            ok = prev not in _REJECT_BEFORE.get(pre, "") or not prev
            if pre == "上" and not bare_scale:
                ok = False
            if ok:
                qualifier = _QUALIFIER_PRE[pre]
                if pre not in ("多达", "高达"):
                    start = m.start()
        # A bare 万/千/百 is idiom (万家灯火, 千方百计) unless a qualifier makes it a figure (近千人, 千余人).
        if bare_scale and not (
            (pre and start == m.start()) or m.group("post") or m.group("approx") or written_unit == "级"
        ):
            return None
        if written_unit == "级" and not bare_scale:
            return None
        if m.group("approx") in ("余", "多", "来"):
            qualifier = "over" if m.group("approx") != "来" else "approx"
        post = m.group("post")
        if post:
            qualifier = _QUALIFIER_POST[post]
        if value_high is not None and qualifier == "exact":
            # Reported by its low end (the format has one value): the quantity is at least that.
            qualifier = "at_least"
        next_ch = t[end : end + 1]
        if written_unit == "级":
            kind, qualifier = U.THRESHOLD, "at_least"
        elif (
            post in ("以上", "及以上", "以下")
            and kind not in (U.PERCENT, U.GROWTH)
            and _CJK_RE.match(next_ch)
            and not after.startswith(("的目标", "的增长"))
        ):
            kind = U.THRESHOLD
        elif (
            pre in ("过", "超", "超过")
            and start == m.start()
            and kind == U.AMOUNT
            and _CJK_RE.match(next_ch)
            and not after.startswith(_THRESHOLD_STOP)
            and next_ch not in "的，"
        ):
            kind = U.THRESHOLD
        elif kind == U.PERCENT and written_unit not in ("成", "‰"):
            # (a ‰ figure is a rate even after 增长率: 人口自然增长率-1.3‰)
            left = self._left_clause(m.start())
            c = _CHANGE_RE.search(_LIST_TAIL_RE.sub("", left))
            if c and t[m.start() - 1 : m.start()] not in "到至":
                kind = U.GROWTH
                if c.group(1) in _FALL_WORDS:
                    value = -value
                    value_high = -value_high if value_high is not None else None
        elif kind == U.GROWTH:
            left = self._left_clause(m.start())
            words = _PP_CHANGE_RE.findall(left)
            if words and words[-1] in _FALL_WORDS + ("降", "少"):
                value = -value
                value_high = -value_high if value_high is not None else None
        right_end = end + _right_np_end(t[end : end + 16])
        return start, end, kind, value, unit, qualifier, right_end, value_high, None

    def _read_ratio(self, m: re.Match[str]) -> Iterator[_Read]:
        """18.4:30.1:51.5 — each part of a structure is a share with no unit (FORMAT: ratio parts)."""
        for part in _RATIO_PART_RE.finditer(m.group()):
            start, end = m.start() + part.start(), m.start() + part.end()
            yield start, end, U.PERCENT, float(part.group()), "", "exact", end, None, None

    def _read_medal(self, m: re.Match[str]) -> _Read | None:
        # 一金两银, 3枚金牌: medals are counted in 枚. A lone 五金 is hardware, so a medal needs 牌 or a
        # neighbouring medal.
        t = self.ctx.text
        value = parse_number(m.group("mnum"))
        if value is None:
            return None
        neighbour = _MEDAL_NEXT_RE.match(t, m.end()) or t[max(0, m.start() - 1) : m.start()] in (
            "金",
            "银",
            "铜",
            "牌",
        )
        if not (m.group("mkind").endswith("牌") or neighbour):
            return None
        return m.start(), m.end(), U.COUNT, value, "枚", "exact", m.end(), None, None

    def _read_rank(self, m: re.Match[str]) -> _Read | None:
        t = self.ctx.text
        value = parse_number(m.group("rnum"))
        if value is None:
            return None
        end = m.end()
        if m.group("runit"):
            after = t[end : end + 2]
            if m.group("runit") == "位" and not (after[:1] in "，。；、,;" or after.startswith("的")):
                return None  # 第一位 followed by a noun: an ordinal (第一位书记), not a rank
            return m.start(), end, U.RANK, value, "名", "exact", end, None, None
        left = self._left_clause(m.start())[-8:]
        nxt = t[end : end + 1]
        if _RANK_VERB_RE.search(left) and (not nxt or nxt in "，。；、,;的）)"):
            return m.start(), end, U.RANK, value, "名", "exact", end, None, None
        return None

    def _compared_with_other(self, pos: int) -> bool:
        """高于全市平均水平1.2个百分点, 低于序时进度: a change against something other than a year."""
        return _OTHER_COMPARISON_RE.search(self._left_clause(pos)) is not None

    def _months(self, pos: int) -> tuple[int, int] | None:
        """The part of the year written before the figure in its sentence, else in its paragraph."""
        ctx = self.ctx
        i = bisect.bisect_left(ctx.month_starts, pos) - 1
        if i < 0:
            return None
        ref = ctx.months[i]
        p0, _ = _bounds(ctx.para_bounds, pos, len(ctx.text))
        if ref.start < p0:
            return None
        return ref.first, ref.last

    def _left_clause(self, pos: int) -> str:
        t = self.ctx.text
        return t[_clause_start(self.ctx.clause_pos, pos, max(0, pos - 40)) : pos]

    # -- attributes --------------------------------------------------------------------------------
    def _subject(self, start: int, end: int, kind: str, prev: _Prev | None) -> str | None:
        t = self.ctx.text
        cstart = _clause_start(self.ctx.subject_pos, start, max(0, start - 60))
        same_clause = prev is not None and prev.end >= cstart
        if prev is not None and same_clause:
            cstart = max(prev.end, prev.right_end)
        raw_left = t[cstart:start] if cstart < start else ""
        if (
            prev is not None
            and prev.subject
            and prev.end >= start - 6
            and _LIST_SEP_RE.match(t[prev.end : start])
        ):
            return prev.subject  # 分别达到15个、22个和30个: one subject for the whole list
        if prev is not None and prev.subject and raw_left.strip() in ("（", "("):
            return prev.subject  # 已完成31座（78%）: the share of what the figure before counts
        if prev is not None and raw_left.startswith("占") and prev.subject:
            # 6.8万人，占21.6%: a share of what the figure before measured.
            return prev.subject + _clean_left(raw_left).removesuffix("的")
        cend = _clause_end(self.ctx.subject_pos, end, min(len(t), end + 60))
        right = t[end:cend]
        if right.startswith(("以上", "以下", "以内", "左右")):
            right = right[2:]
        left_is_list = raw_left.rstrip().endswith(("等", "等等"))
        left = "" if left_is_list else _clean_left(raw_left)
        if _SCOPE_ONLY_RE.match(left):
            left = ""
        if not left and prev is not None and same_clause and prev.attributive:
            # 60岁以上老年人口8.6万人, 110千伏变电站2座: the earlier figure names the class counted.
            left = t[prev.start : prev.right_end]
        rest = _RIGHT_LEAD_RE.sub("", right.translate(_QUOTES_TABLE), count=1)
        attributive = kind in (U.COUNT, U.MEASURE, U.THRESHOLD) or (
            kind == U.PERCENT and right.startswith("的")
        )
        rnp = _right_np(right) if attributive else ""
        if left and rnp:
            return left + rnp
        if rnp:
            # A clause that opens with a verb (惠及254个行政村) measures something of the topic before it;
            # one that opens with the number (35项整改事项) or with 有 names its own subject.
            if _REACH_RE.match(raw_left.strip()):
                return self._topic(cstart) + rnp
            return rnp
        if left:
            return left
        if kind == U.RANK and rest:
            return rest[:30]
        topic = self._topic(cstart)
        if topic:
            return topic
        return rest[:30] or None

    def _topic(self, pos: int) -> str:
        """The subject carried from earlier clauses of the paragraph when a clause has none."""
        t = self.ctx.text
        pstart, _ = _bounds(self.ctx.para_bounds, max(pos - 1, 0), len(t))
        end = pos
        for _ in range(4):
            if end <= pstart:
                return ""
            cs = _clause_start(self.ctx.topic_pos, end, pstart)
            np = _head_np(t[cs:end])
            if np:
                return np
            end = cs - 1
        return ""

    def _period(self, start: int, end: int, kind: str) -> str | None:
        ctx = self.ctx
        t = ctx.text
        s0, s1 = _bounds(ctx.sentence_bounds, start, len(t))
        left = t[_clause_start(ctx.clause_pos, start, max(0, start - 30)) : start]
        if _NULL_PERIOD_RE.search(left[-8:]):
            return None
        if kind == U.MEASURE and _CJK_RE.match(t[end : end + 1]) and t[end : end + 1] not in "的以左上":
            return None  # 1000MW光伏项目: a design figure of a thing, not a value for a year
        # 1. the sentence: nearest year before the mention, else the first one after it
        i = bisect.bisect_left(ctx.year_starts, s0)
        before: YearRef | None = None
        after: YearRef | None = None
        plan = None
        # Indices, not slices: a slice to the end of the document copies it for every mention.
        years = ctx.years
        for j in range(i, len(years)):
            ref = years[j]
            if ref.start >= s1:
                break
            if ref.role == BASE:
                continue
            if ref.start < start:
                before = ref
            elif after is None and not _has_delim(t, end, ref.start):
                after = ref  # a year later in the same clause only: 提前完成2025年目标 is not its period
        for j in range(bisect.bisect_left(ctx.plan_starts, s0), len(ctx.plans)):
            p = ctx.plans[j]
            if p.start >= start:
                break
            if s0 <= p.start < start and not p.at_end and t[p.end - 2 : p.end] in ("期间", "时期", "以来"):
                plan = p
        ref = before or after
        if ref is not None:
            return None if ref.role == SPAN or not ref.year_known else str(ref.year)
        if plan is not None:
            return f"{plan.first}-{plan.last}"
        # 2. the paragraph so far
        p0, _ = _bounds(ctx.para_bounds, start, len(t))
        for ref in reversed(ctx.years[bisect.bisect_left(ctx.year_starts, p0) : i]):
            if ref.role == PERIOD:
                return str(ref.year) if ref.year_known else None
        # 3. the section heading, 4. the document
        k = bisect.bisect_right(ctx.section_starts, start) - 1
        sy = ctx.section_years[k][1] if k >= 0 else None
        if sy is not None:
            return str(sy) if sy != _UNRESOLVED else None
        return str(ctx.doc_year) if ctx.doc_year else None


_SECTION_HEADING_RE = re.compile(
    r"^(?:(?P<md>#{1,6})[ \t]|(?P<cn>[一二三四五六七八九十]{1,3})、|[（(](?P<pcn>[一二三四五六七八九十]{1,3})[）)]).*$",
    re.M,
)


# The year of a heading that names a relative year (二、明年工作安排) in a document of unknown year.
_UNRESOLVED = 0


def _section_years(text: str, known_year: int | None) -> list[tuple[int, int | None]]:
    """(heading position, year in force under it): a heading without a year inherits its parent's.

    A relative year in a heading (二、明年工作安排) is resolved against `known_year`; when that is not
    known the section's year is _UNRESOLVED, so its figures get no period rather than a guessed one.
    """
    out: list[tuple[int, int | None]] = []
    stack: list[tuple[int, int | None]] = []  # (level, year)
    for m in _SECTION_HEADING_RE.finditer(text):
        level = len(m.group("md")) if m.group("md") else (11 if m.group("cn") else 12)
        while stack and stack[-1][0] >= level:
            stack.pop()
        # 五、县人民医院二期建设。累计完成…预计2025年…: a numbered paragraph's heading ends at its first 。
        heading = m.group().split("。", 1)[0]
        ym = re.search(r"((?:19|20)[0-9]{2})年", heading)
        if ym:
            year: int | None = int(ym.group(1))
        else:
            rel = [r for r in find_relative_years(heading, known_year) if r.role == PERIOD]
            if rel:
                year = rel[0].year if rel[0].year_known else _UNRESOLVED
            else:
                year = stack[-1][1] if stack else None
        stack.append((level, year))
        out.append((m.start(), year))
    return out


def _names_own_subject(lead: str) -> bool:
    """Whether the clause before 分别 names what its list measures (not only a comma or a verb)."""
    clause = re.split(r"[，,；;：:]", lead[: lead.rfind("分别")])[-1]
    cleaned = _clean_left(clause)
    return bool(cleaned) and not _SCOPE_ONLY_RE.match(cleaned)


def _assign_respectively(group: list[Mention], earlier: list[Mention]) -> None:
    """分别增长2.1%和3.4% after two figures: each change belongs to the figure in the same place."""
    n = len(group)
    if n < 2 or len(earlier) < n:
        return
    for mention, source in zip(group, earlier[-n:], strict=True):
        if source.subject:
            mention.subject = source.subject


# Scale words a range may write once, after its high end (3-5万, 三至五千万), longest first.
_RANGE_SCALES = _SCALE_WORDS_LONGEST_FIRST


def _range(low: str, high: str, scale2: str, low_value: float) -> tuple[float, float] | None:
    """(low, high) of a range as written, or None when the pair is not a rising range.

    A scale written only after the high end applies to the low end too (3-5万 → 30000, 50000); the
    longest scale that gives a number wins, so 三至五千万 is 3e7..5e7 and 十至二十万 is 1e5..2e5. A low
    end that would then be ten times the high end or more was written in the unit itself (3000-5万
    is 3000..50000); one that would merely not rise (5至3万, 1至1万) makes no range.
    """
    high_value = parse_number(high + scale2)
    if high_value is None:
        return None
    if low[-1] not in "万亿千百":
        for scale in _RANGE_SCALES:
            if high.endswith(scale) and len(high) > len(scale):
                scaled = parse_number(low + scale + scale2)
                if scaled is None:
                    continue
                if scaled < high_value:
                    low_value = scaled
                elif scaled < 10 * high_value:
                    return None
                break
    return (low_value, high_value) if low_value < high_value else None


def _has_delim(text: str, start: int, end: int) -> bool:
    return any(c in _TOPIC_DELIMS for c in text[start:end])


def _year_of_doc_id(doc_id: str) -> int | None:
    m = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", doc_id)
    return int(m.group(1)) if m else None


def _most_mentioned_year(years: list[YearRef]) -> int | None:
    counts: dict[int, int] = {}
    for y in years:
        if y.role == PERIOD:
            counts[y.year] = counts.get(y.year, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def extract_mentions(text: str, doc_id: str = "doc", doc_year: int | None = None) -> list[Mention]:
    """Every quantity mention in `text`, in text order, with offsets into `text` as given."""
    return _Extractor(text, doc_id, doc_year).run()
