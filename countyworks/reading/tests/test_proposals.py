"""The mapping rules from the reader's output to proposals (pure: no database)."""

from countyworks.reading import proposals as rules
from countyworks.textread import extract_mentions, parse_structure


def _propose(text, kind="work_report", year=2023):
    return rules.propose(
        text,
        extract_mentions(text, doc_id="t", doc_year=year),
        parse_structure(text),
        doc_kind=kind,
        doc_year=year,
    )


def _honours(text):
    return [(p.fields["title"], p.fields["level"]) for p in _propose(text) if p.kind == rules.HONOUR]


def test_it_guesses_the_level_of_an_honour_from_its_title():
    assert rules.honour_level("全国文明城市") == "national"
    assert rules.honour_level("国家级电子商务进农村综合示范县") == "national"
    assert rules.honour_level("中央财政支持示范区") == "national"
    assert rules.honour_level("省级森林乡村") == "provincial"
    assert rules.honour_level("全市平安建设先进县") == "city"
    assert rules.honour_level("优秀志愿服务组织") == "county"


def test_it_proposes_one_honour_per_title_won():
    text = "全年我县获评省级卫生县城，入选全国科普示范县名单。"
    assert _honours(text) == [("省级卫生县城", "provincial"), ("全国科普示范县名单", "national")]
    assert _honours("我县入选“绿色食品”示范县。") == [("“绿色食品”示范县", "county")]


def test_it_does_not_take_an_aim_or_an_ordinary_object_for_an_honour():
    assert _honours("要全力打造乡村振兴示范区。") == []
    assert _honours("全县获得银行贷款，百佳企业数量上升。") == []
    assert _honours("我县成为全国示范县中接待游客超300万人次的县。") == []


def test_it_marks_thresholds_and_ranks_as_not_figures():
    kinds = {p.text: p.kind for p in _propose("全县80岁以上老人2000余名，营商环境评价排名全市第二。")}
    assert kinds["80岁以上"] == rules.NOT_A_FIGURE
    assert kinds["2000余名"] == rules.OBSERVATION
    assert kinds["第二"] == rules.NOT_A_FIGURE


def test_it_turns_counts_of_listed_work_into_item_counts():
    found = {p.text: p for p in _propose("全年开展专题调研12次，完成整改事项40项，新增就业岗位500个。")}
    assert found["12次"].kind == rules.ITEM_COUNT
    assert found["40项"].kind == rules.ITEM_COUNT
    assert found["500个"].kind == rules.OBSERVATION


def test_it_keeps_the_base_year_of_a_growth_and_a_multiple():
    found = {p.text: p.fields for p in _propose("粮食总产量同比增长3.1%，是2015年的1.8倍。", year=2024)}
    assert (found["3.1%"]["value_kind"], found["3.1%"]["base_year"], found["3.1%"]["year"]) == (
        "growth",
        2023,
        2024,
    )
    assert (found["1.8倍"]["value_kind"], found["1.8倍"]["base_year"]) == ("multiple", 2015)


def test_it_reads_a_period_string_as_its_last_year():
    assert rules.year_of("2023") == 2023
    assert rules.year_of("2021-2025") == 2025
    assert rules.year_of(None) is None
    assert rules.decimal_text(1.5e9) == "1500000000" and rules.decimal_text(0.25) == "0.25"
