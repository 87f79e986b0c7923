"""Sentence templates of the year-end review and the supervision bulletin, in our own words.

Plain Python (no Django import). The builders fill each {placeholder} with a figure written by
`countyworks.wording` (a count, an amount, a percentage) or with named records.
"""

REVIEW_TITLE = "{region}{year}年工作回顾"
REVIEW_SUBTITLE = "——{region}{year}年重点工作年终盘点"
REVIEW_LEAD = (
    "{year}年，{region}围绕年度重点工作台账推进各项任务，全年列入台账的工作事项{count}，已完成{done}。"
)
PROJECTS = "实施重点项目{count}"
PROJECTS_TOTAL = "，总投资{total}"
PROJECTS_ANNUAL = "，年度完成投资{annual}"
PROJECTS_STAGES = "；其中{stages}"
PROJECT_STAGE = "{stage}{count}"
PROJECTS_NAMED = "。重点推进了{names}等项目。"
LIVELIHOOD = "承诺的民生实事{count}，已办结{kept}"
LIVELIHOOD_PEOPLE = "，惠及群众{people}"
LIVELIHOOD_NAMED = "，包括{names}"
RECTIFICATION = "列出整改事项{count}，已整改销号{closed}。"
RESEARCH = "县级领导领题调研{count}"
RESEARCH_LECTURES = "，结合调研讲授党课{lectures}"
OTHER_WORK = "部署专项行动和其他重点工作{count}"
OTHER_WORK_DONE = "，已完成{done}"
OTHER_WORK_UNDER_WAY = "，正在推进"
INDICATOR_EXACT = "{name}达{value}"
INDICATOR_QUALIFIED = "{name}{value}"
# A stated level phrased by what it is (wording.figure_kind): an amount is reached (达), a share is
# stated (为), a count and a qualified figure follow their name (读书班4期, 接待游客超440万人次).
INDICATOR_BY_KIND = {
    "amount": INDICATOR_EXACT,
    "share": "{name}为{value}",
    "count": "{name}{value}",
    "qualified": INDICATOR_QUALIFIED,
}
# The county's stated total with the ledger's tracked subset: 全年整改事项35项（台账跟踪1项，已销号0项）.
STATED_TOTAL = "{name}{value}"
STATED_WITH_TRACKED = "全年{stated}（台账跟踪{tracked}，{done_word}{done}）"
STATED_ALONE = "全年{stated}。"
# Per kind of item: the unit it is counted in and the word for one that is done.
TRACKED_WORDS = {
    "key_project": ("个", "已完成"),
    "livelihood": ("件", "已办结"),
    "rectification": ("项", "已销号"),
    "research": ("个", "已结题"),
}
CHECKS_TITLE = "附：数据核对提示（供办公室核对，不对外印发）"
CHECKS_LEAD = "以下情况由一致性检查发现，请在印发前与原始材料核对。"
STATED_MULTIPLE = "，是{base}的{multiple}"
STATED_GROWTH = "，较{base}{verb}{growth}"
STATED_GROWTH_ALONE = "较{base}{verb}{growth}"
ORGANISATION_INDICATOR = "{holder}{name}"
DOUBTFUL_SOURCE = "{citation}（存疑：{note}）"
COMPUTED_GROWTH = "，比{base_year}年{verb}{growth}"
TARGET_COMPLETION = "，完成年度目标的{completion}"
HONOURS = "全年获得{groups}。"
HONOUR_GROUP = "{level}荣誉{count}：{names}"
HONOUR_HELD_BY = "{title}（{holder}）"
NEXT_YEAR_TITLE = "{year}年工作安排"
NEXT_YEAR_GOAL = "围绕{goal}的目标，明年重点做好以下工作。"
NEXT_YEAR_BRANCHES = "重点抓好{names}"
NEXT_YEAR_ITEMS = "部署工作事项{count}"
NEXT_YEAR_ITEMS_AFTER_BRANCHES = "，部署工作事项{count}"
NEXT_YEAR_ITEMS_ONLY = "计划部署工作事项{count}。"
END = "。"
BASE_PERIOD_UNKNOWN = "基期"
PREVIOUS_YEAR = "上年"
BULLETIN_TITLE = "{region}重点工作督查通报"
BULLETIN_PERIOD = "（{start}至{end}）"
BULLETIN_OVERALL = "纳入督查的工作事项{count}{by_status}。"
BULLETIN_STATUS = "，{status}{count}"
BULLETIN_NOTICES = "本期下发督办单{issued}，已回复{answered}。"
