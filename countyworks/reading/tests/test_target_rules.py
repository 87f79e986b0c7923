"""When a figure is read as a target rather than an observation (pure rules: no database)."""

from countyworks.reading import proposals as rules
from countyworks.reading.tests.texts import NEWS_WITH_AIM_2023, REPORT_AND_PLAN_2023
from countyworks.textread import extract_mentions, parse_structure


def _figures(text, year=2023, kind="work_report"):
    """Each figure's proposal by the text as written (amount, count, … mentions only)."""
    found = rules.propose(
        text,
        extract_mentions(text, doc_id="t", doc_year=year),
        parse_structure(text),
        doc_kind=kind,
        doc_year=year,
    )
    return {p.text: p for p in found if p.kind in (rules.OBSERVATION, rules.ITEM_COUNT, rules.TARGET)}


def _kinds(text, year=2023, kind="work_report"):
    return {quote: p.kind for quote, p in _figures(text, year, kind).items()}


def test_it_reads_the_plan_part_of_a_report_as_targets_for_the_coming_year():
    found = _figures(REPORT_AND_PLAN_2023)
    growth = found["6.5%左右"]
    assert growth.kind == rules.TARGET
    assert (growth.fields["indicator"], growth.fields["unit"], growth.fields["year"]) == (
        "地区生产总值增速",
        "%",
        2024,
    )
    assert growth.fields["qualifier"] == "approx" and growth.fields["observed_indicator"] == "地区生产总值"
    jobs = found["1800人以上"]
    assert (jobs.kind, jobs.fields["year"], jobs.fields["qualifier"]) == (rules.TARGET, 2024, "at_least")
    visitors = found["突破650万人次"]
    assert (visitors.kind, visitors.fields["year"], visitors.fields["qualifier"]) == (
        rules.TARGET,
        2024,
        "over",
    )
    assert visitors.mention["target_reason"] in (rules.REASON_FUTURE_YEAR, rules.REASON_PLAN_SECTION)


def test_it_keeps_the_figures_of_the_review_part_as_observations():
    kinds = _kinds(REPORT_AND_PLAN_2023)
    assert kinds["7.8亿元"] == rules.OBSERVATION
    # 预计 in a look back at the year is an estimate of a result, not a goal.
    assert kinds["2.4亿元左右"] == rules.OBSERVATION
    # What already stands, even inside the plan part, is a fact.
    assert kinds["900个"] == rules.OBSERVATION


def test_it_takes_a_strong_cue_as_a_target_for_the_documents_year():
    found = _figures(NEWS_WITH_AIM_2023)
    assert found["46公里"].kind == rules.OBSERVATION
    houses = found["300户"]
    assert (houses.kind, houses.fields["year"]) == (rules.TARGET, 2023)
    assert (houses.mention["target_reason"], houses.mention["target_cue"]) == (rules.REASON_CUE, "力争")


def test_it_does_not_let_weak_cues_decide_alone():
    kinds = _kinds("全年预计实现农产品电商销售额3亿元。年内争取上级专项资金1.6亿元。", year=2023)
    assert kinds == {"3亿元": rules.OBSERVATION, "1.6亿元": rules.OBSERVATION}


def test_it_keeps_a_past_year_figure_an_observation_whatever_its_words():
    kinds = _kinds("2022年预计完成造林1.5万亩，力争全县绿化率达到52%。", year=2023)
    assert kinds["1.5万亩"] == rules.OBSERVATION


def test_it_does_not_read_results_against_a_goal_as_goals():
    text = "全县超额完成年度目标，全年粮食总产量达到16万吨。确保了6000户群众冬季取暖。"
    assert set(_kinds(text).values()) == {rules.OBSERVATION}


def test_it_reads_a_report_dated_by_the_plan_year_by_its_headings():
    # The same report registered under the year it was given in: the look back is the year before.
    text = (
        "一、过去一年工作回顾\n全县城镇居民人均可支配收入达到3.1万元。\n"
        "二、今年工作安排\n城镇居民人均可支配收入比上年增长6%左右，完成植树造林2.2万亩。\n"
    )
    found = _figures(text, year=2024)
    assert found["3.1万元"].kind == rules.OBSERVATION
    assert (found["6%左右"].kind, found["6%左右"].fields["year"]) == (rules.TARGET, 2024)
    assert (found["2.2万亩"].kind, found["2.2万亩"].mention["target_reason"]) == (
        rules.TARGET,
        rules.REASON_PLAN_SECTION,
    )


def test_it_reads_a_later_year_written_in_the_sentence_as_a_target_for_that_year():
    found = _figures("到2026年，全县森林覆盖率达到45%。", year=2024)
    assert (found["45%"].kind, found["45%"].fields["year"]) == (rules.TARGET, 2026)
    assert found["45%"].fields["indicator"] == "全县森林覆盖率"


def test_it_reads_next_year_as_the_year_after_the_documents():
    found = _figures("全年新建村级卫生室14个。明年全县新增城镇就业1500人。", year=2023)
    assert found["14个"].kind == rules.OBSERVATION
    assert (found["1500人"].kind, found["1500人"].fields["year"]) == (rules.TARGET, 2024)
    assert found["1500人"].mention["target_reason"] == rules.REASON_FUTURE_YEAR


def test_it_does_not_trust_a_later_year_carried_over_from_another_sentence():
    # The reader may carry 2026 on to the next sentence; nothing there says the figure is a goal.
    text = "到2026年，全县森林覆盖率达到45%。全年新建村级卫生室14个。"
    assert _kinds(text, year=2024)["14个"] == rules.OBSERVATION


def test_it_needs_a_cue_for_a_five_year_span():
    assert _kinds("十四五期间累计完成水利投资18亿元。", year=2023)["18亿元"] == rules.OBSERVATION
    found = _figures("十四五期间力争完成水利投资30亿元。", year=2023)
    assert (found["30亿元"].kind, found["30亿元"].fields["year"]) == (rules.TARGET, 2025)


def test_it_leaves_a_projects_investment_and_a_multiple_as_they_were():
    text = "二、2024年工作安排\n计划实施城区供热管网改造项目，总投资2.6亿元。力争农民收入是2020年的1.6倍。\n"
    found = _figures(text)
    assert found["2.6亿元"].kind == rules.OBSERVATION
    assert found["1.6倍"].kind == rules.OBSERVATION


def test_it_reads_figures_of_a_plan_document_as_targets():
    text = "一、产业振兴\n（一）特色农业\n新建中药材种植基地2000亩，现有专业合作社30家。\n"
    found = _figures(text, year=2024, kind="plan")
    assert (found["2000亩"].kind, found["2000亩"].mention["target_reason"]) == (
        rules.TARGET,
        rules.REASON_PLAN_DOCUMENT,
    )
    assert found["30家"].kind == rules.OBSERVATION


def test_it_drops_cue_words_and_years_from_the_indicator_name():
    assert rules.indicator_name("全县预计财政收入") == "全县财政收入"
    assert rules.indicator_name("到2025年森林覆盖率") == "森林覆盖率"
    assert rules.indicator_name("计划总投资") == "计划总投资"
    assert rules.indicator_name("力争") == "力争"


def test_it_switches_fields_between_observation_and_target_and_back():
    observed = {"indicator": "粮食产量", "value": "5.1", "unit": "%", "value_kind": "growth", "year": 2024}
    target = rules.as_target(observed)
    assert (target["indicator"], target["unit"], target["observed_indicator"]) == (
        "粮食产量增速",
        "%",
        "粮食产量",
    )
    assert rules.as_observation(target) == observed
    level = {"indicator": "粮食产量", "value": "16", "unit": "吨", "value_kind": "level", "year": 2024}
    assert rules.as_target(level, 2025) == {**level, "year": 2025}
    assert rules.growth_target_name("工业增加值增速") == "工业增加值增速"
