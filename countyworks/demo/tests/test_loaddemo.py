"""The Huguan demo loads every fact of the seed, with citations, idempotently."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from countyworks.accounts import policy
from countyworks.accounts.models import User
from countyworks.core.services import ServiceError
from countyworks.demo import facts, year
from countyworks.demo.services import load_demo, read_seed, region_counts
from countyworks.honours.models import Honour
from countyworks.indicators import maths
from countyworks.indicators.models import Observation
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation, Person
from countyworks.sources.models import Citation, Document
from countyworks.supervision.models import Instruction, Notice, ProgressReport


@pytest.fixture
def demo_accounts_on(monkeypatch):
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")


@pytest.fixture
def demo(db, demo_accounts_on):
    return load_demo()


def _item(title: str) -> WorkItem:
    return WorkItem.objects.get(plan__region__code=facts.COUNTY_CODE, title=title)


def test_it_loads_the_county_document_and_a_citation_per_fact(demo):
    doc = Document.objects.get(slug="huguan-2023-review")
    assert doc.region.code == "140427" and doc.region.parent.code == "140400"
    assert doc.kind == "article" and doc.year == 2023
    assert "徐媚" in doc.author
    # The byline's people are document metadata, not county staff; the odd “陈署名外” is flagged.
    assert "存疑" in Citation.objects.get(document=doc, quote="陈署名外").note
    # The only people are county leaders named by title, marked 演示数据 (demo/year.py).
    assert set(Person.objects.values_list("name", flat=True)) == set(year.LEADERS.values())
    assert all("演示数据" in t for t in Person.objects.values_list("title", flat=True))
    cited_spans = {(c.start, c.end) for _, c in facts.all_citations()}
    assert set(Citation.objects.filter(document=doc).values_list("start", "end")) == cited_spans
    # Every fact record points at its citation.
    assert not WorkItem.objects.filter(citation__isnull=True).exists()
    assert not Observation.objects.filter(citation__isnull=True).exists()
    assert not Honour.objects.filter(citation__isnull=True).exists()
    # Units the seed does not name are the illustrative lead departments, and say so.
    uncited = Organisation.objects.filter(citation__isnull=True)
    assert set(uncited.values_list("name", flat=True)) == set(year.DEPARTMENTS.values())
    assert all("演示数据" in d for d in uncited.values_list("description", flat=True))


def test_it_is_idempotent(demo):
    first = region_counts()
    history_before = WorkItem.history.count()
    versions_before = dict(WorkItem.objects.values_list("pk", "version"))
    second = load_demo()
    assert second.counts == first
    # A second load rewrites nothing: no new history rows, no version bumps.
    assert WorkItem.history.count() == history_before
    assert dict(WorkItem.objects.values_list("pk", "version")) == versions_before


def test_it_records_the_stated_multiple_against_the_end_of_the_13th_plan(demo):
    level = Observation.objects.get(indicator__code="emerging-industry-output", value_kind="level")
    multiple = Observation.objects.get(indicator__code="emerging-industry-output", value_kind="multiple")
    assert (level.value, level.unit, level.qualifier, level.year) == (
        Decimal("2500000000"),
        "元",
        "nearly",
        2023,
    )
    assert (multiple.value, multiple.base_year, multiple.base_label) == (Decimal("5"), 2020, "十三五末")
    assert maths.implied_base_from_multiple(level.value, multiple.value) == Decimal("500000000")
    assert multiple.citation.quote == "5倍" and level.citation.quote == "近25亿元"


def test_it_marks_the_ambiguous_tourist_figure_over_and_doubtful(demo):
    visits = Observation.objects.get(indicator__code="tourist-visits")
    assert (visits.value, visits.unit, visits.qualifier) == (Decimal("4400000"), "人次", "over")
    assert visits.doubtful and "八泉峡" in visits.note
    growth = Observation.objects.get(indicator__code="tourism-revenue")
    assert (growth.value_kind, growth.value, growth.base_year) == ("growth", Decimal("216"), 2019)
    scenic = Observation.objects.get(indicator__code="scenic-area-revenue")
    assert scenic.organisation.name == "八泉峡景区" and scenic.region is None
    assert (scenic.value, scenic.qualifier) == (Decimal("300000000"), "over")
    tax = Observation.objects.get(indicator__code="enterprise-tax-paid")
    assert (tax.organisation.short_name, tax.value, tax.qualifier) == (
        "壶关高测",
        Decimal("150000000"),
        "exact",
    )


def test_it_records_the_water_project_with_its_beneficiaries(demo):
    water = _item("八泉峡引水工程")
    assert (water.kind, water.stage, water.status) == ("key_project", "in_operation", "completed")
    assert water.beneficiaries == "254个行政村、28万余人" and water.beneficiary_count == 280000
    people = Observation.objects.get(indicator__code="water-project-people")
    villages = Observation.objects.get(indicator__code="water-project-villages")
    assert (people.value, people.qualifier) == (Decimal("280000"), "over")
    assert (villages.value, villages.qualifier) == (Decimal("254"), "exact")


def test_it_records_key_projects_with_their_stages(demo):
    stages = dict(WorkItem.objects.filter(kind="key_project").values_list("title", "stage"))
    assert stages["山西建筑产业现代化长治园区"] == "completed"
    assert stages["新材料产业园"] == "completed"
    assert stages["智能终端制造产业园项目"] == "signed"
    assert stages["晋能控股1000MW光伏发电项目"] == "signed"
    assert stages["中央公园"] == "completed"
    assert stages["西城路拓宽改造和雨污分流项目"] == "completed"
    for title in ("市区至壶关县城集中供热管网建设项目", "西城路南延至G207环线道路建设", "城区老旧小区改造"):
        assert stages[title] == "under_construction"
        assert _item(title).status == "in_progress"
    parks = _item("7个口袋公园")
    assert parks.target_value == 7
    assert set(parks.milestones.values_list("title", flat=True)) == {"崇老公园", "清风公园", "壶林公园"}
    assert set(_item("晋能控股1000MW光伏发电项目").co_units.values_list("name", flat=True)) == {"晋能控股"}


def test_it_keeps_counts_without_inventing_the_items_behind_them(demo):
    research = WorkItem.objects.get(kind="research")
    assert research.target_value == 30 and research.party_lecture_delivered and research.status == "completed"
    assert WorkItem.objects.filter(kind="rectification").count() == 1
    counts = {
        code: Observation.objects.get(indicator__code=code).value
        for code in (
            "livelihood-items-advancing",
            "livelihood-promises-delivered",
            "rectification-items",
            "leader-research-topics",
            "reading-class-sessions",
            "pocket-parks-opened",
            "deep-breath-town-selections",
            "pv-capacity-signed",
        )
    }
    assert counts == {
        "livelihood-items-advancing": 16,
        "livelihood-promises-delivered": 12,
        "rectification-items": 35,
        "leader-research-topics": 30,
        "reading-class-sessions": 4,
        "pocket-parks-opened": 7,
        "deep-breath-town-selections": 8,
        "pv-capacity-signed": 1000,
    }
    # The exam records have no figures in the article: kept as milestones, never as numbers.
    reform = _item("深化教师职称评定制度改革")
    assert set(reform.milestones.values_list("title", flat=True)) == {
        "中考优生率创历史新高",
        "高考达线率创历史新高",
    }
    assert not Observation.objects.filter(indicator__name__contains="中考").exists()


def test_it_records_livelihood_measures_and_campaigns(demo):
    livelihood = set(WorkItem.objects.filter(kind="livelihood").values_list("title", flat=True))
    assert {
        "户籍人口和在壶工作人员游八泉峡免门票",
        "为60岁以上老年人购买意外伤害保险",
        "“壶关回家”行动",
    } <= livelihood
    assert not WorkItem.objects.filter(kind="livelihood").exclude(status="completed").exists()
    campaigns = set(WorkItem.objects.filter(kind="campaign").values_list("title", flat=True))
    assert "安全生产风险隐患排查大整治" in campaigns
    assert "“扫黑恶、治电诈、打盗抢、禁毒品、护民生”系列专项行动" in campaigns
    assert "“五比”活动" in campaigns
    assert any("千万工程" in title for title in campaigns)


def test_it_stores_honours_by_level_with_their_holders(demo):
    by_level = {
        level: set(Honour.objects.filter(level=level).values_list("title", flat=True))
        for level in ("national", "provincial", "city")
    }
    assert {
        "2023年度中央财政支持普惠金融发展示范区",
        "“四好农村路”全国示范县",
        "国家5A级旅游景区",
    } <= by_level["national"]
    assert {
        "全省有机旱作农业示范县",
        "省级农产品质量安全示范县",
        "省级农产品质量安全县",
        "省级高质量发展庭院经济示范县",
        "山西省文旅康养集聚区（验收通过）",
    } <= by_level["provincial"]
    assert len(by_level["city"]) == 2
    smart = Honour.objects.filter(title="省级智能制造示范企业、试点企业名单")
    assert set(smart.values_list("holder_organisation__name", flat=True)) == {
        "壶化集团",
        "壶关高测新材料科技有限公司",
    }
    assert Honour.objects.get(title="国家5A级旅游景区").holder_organisation.name == "八泉峡景区"
    assert (
        Honour.objects.get(title="县人民医院典型做法在全市交流推广").holder_organisation.short_name
        == "县人民医院"
    )
    # No year is invented where the article gives none.
    assert Honour.objects.get(title="全省有机旱作农业示范县").year is None


def test_it_builds_the_2024_goal_tree(demo):
    plan = Plan.objects.get(region__code="140427", year=2024)
    root = PlanNode.objects.get(plan=plan, parent=None)
    assert root.kind == "goal" and "三地一区" in root.title
    children = PlanNode.objects.filter(parent=root)
    assert set(children.filter(kind="goal").values_list("title", flat=True)) == {"活力壶关", "幸福壶关"}
    assert list(children.filter(kind="area").order_by("order").values_list("title", flat=True)) == [
        "转型发展",
        "乡村振兴",
        "文旅融合",
        "城市建设",
        "民生保障",
        "安全稳定",
    ]
    directions = children.filter(kind="direction").order_by("order")
    assert [d.title for d in directions] == [
        "加强党的全面领导",
        "调结构、扬优势",
        "抓改革、促开放",
        "强“三农”、促振兴",
        "谋全域、抓提升",
        "优功能、提品质",
        "重民生、增福祉",
        "防风险、保安全",
    ]
    assert [d.number for d in directions] == list("一二三四五六七八")
    for direction in directions:
        assert direction.items.exists(), direction.title
    assert _item("全面建设平安壶关").node.title == "防风险、保安全"


def test_it_marks_every_record_the_seed_does_not_give_as_illustrative(demo):
    reports = ProgressReport.all_objects.all()
    assert set(reports.values_list("state", flat=True)) == {"approved", "returned", "submitted"}
    # A year of supervision: one notice and one instruction of the first activity, and year.py's.
    from countyworks.demo import year

    assert Notice.objects.count() == 1 + len(year.NOTICES)
    assert Instruction.objects.count() == 1 + len(year.INSTRUCTIONS)
    for model in (ProgressReport, Notice, Instruction):
        assert not model._default_manager.filter(illustrative=False).exists()
    months = {notice.issued_at.month for notice in Notice.objects.all()}
    assert len(months) >= 8  # spread over the year, not one burst
    assert all(n.issued_at.year == 2023 and n.created_at.year == 2023 for n in Notice.objects.all())
    assert Instruction.objects.filter(created_at__year=2023).count() == Instruction.objects.count()
    late = [n for n in Notice.objects.all() if n.answered_at is None or n.answered_at.date() > n.deadline]
    assert late  # some are answered late or not at all, as in a working year
    for report in reports:
        assert report.submitted_at.year == 2023 and report.created_at.year == 2023
    assert {notice.issued_at.year for notice in Notice.objects.all()} == {2023}
    assert {i.created_at.year for i in Instruction.objects.all()} == {2023}
    # Facts are not illustrative.
    assert not WorkItem.objects.filter(illustrative=True).exists()
    assert not Observation.objects.filter(illustrative=True).exists()


def test_it_creates_one_account_per_role_that_can_work_on_the_demo(demo):
    users = {u.username: u for u in User.objects.all()}
    assert {u.role for u in users.values()} == {
        "admin",
        "supervisor",
        "leader",
        "reporter",
        "unit_head",
        "viewer",
    }
    hospital, scenic = users["demo_reporter_hospital"], users["demo_reporter_scenic"]
    assert hospital.organisation_id != scenic.organisation_id
    # The scenic area's reports go to its head first (单位审签); the hospital's straight to the office.
    head = users["demo_head_scenic"]
    assert head.organisation_id == scenic.organisation_id and scenic.organisation.reports_need_head_approval
    assert not hospital.organisation.reports_need_head_approval
    assert hospital.check_password(facts.DEMO_PASSWORD)
    partnership = _item("与长治市和平医院合作共建")
    assert policy.can_report(hospital, partnership) and not policy.can_report(scenic, partnership)
    assert policy.can_manage_plan(users["demo_supervisor"], partnership.plan.region)


def test_it_refuses_demo_accounts_when_debug_is_off_and_not_asked_for(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("COUNTYWORKS_DEMO_ACCOUNTS", raising=False)
    result = load_demo()
    assert result.accounts_refused and not result.accounts_created
    assert not User.objects.exists() and not ProgressReport.all_objects.exists()
    # The facts load all the same.
    assert WorkItem.objects.filter(title="八泉峡引水工程").exists()


def test_it_loads_without_the_seed_keeping_offsets(db, settings, tmp_path, demo_accounts_on):
    settings.SHARED_DIR = tmp_path
    result = load_demo()
    assert not result.seed_text_stored
    doc = Document.objects.get(slug=facts.DOCUMENT_SLUG)
    assert doc.text == ""
    assert Citation.objects.get(quote="近25亿元").start == 780


def test_it_skips_when_not_empty_and_can_leave_out_activity(cast, demo_accounts_on):
    call_command("loaddemo", "--if-empty")
    assert not Document.objects.exists()
    call_command("loaddemo", "--no-activity")
    assert Document.objects.filter(slug=facts.DOCUMENT_SLUG).exists()
    assert User.objects.filter(username="demo_supervisor").exists()
    assert not ProgressReport.all_objects.exists() and not Notice.objects.exists()


@pytest.mark.skipif(read_seed() is None, reason="the seed article (shared/seed) is not on this machine")
def test_it_cites_exactly_the_seed_characters(demo):
    seed = read_seed()
    assert Document.objects.get(slug=facts.DOCUMENT_SLUG).text == seed
    citations = list(Citation.objects.filter(document__slug=facts.DOCUMENT_SLUG))
    assert len(citations) == len({(c.start, c.end) for _, c in facts.all_citations()})
    mismatches = [
        (c.start, c.end, c.quote, seed[c.start : c.end])
        for c in citations
        if seed[c.start : c.end] != c.quote
    ]
    assert mismatches == []


def test_it_refuses_a_seed_that_does_not_match_and_loads_nothing(db, demo_accounts_on, settings, tmp_path):
    # A stand-in seed holding exactly the cited characters, with one figure changed.
    chars = [" "] * 4258
    for _, cite in facts.all_citations():
        chars[cite.start : cite.end] = cite.quote
    assert "".join(chars[780:785]) == "近25亿元"
    chars[780:785] = "约30亿元"
    altered = "".join(chars)
    with pytest.raises(ServiceError, match="近25亿元") as refused:
        load_demo(seed_text=altered)
    assert refused.value.field == "seed"
    assert not Document.objects.exists() and not WorkItem.objects.exists()
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "huguan-2023-review.txt").write_text(altered, encoding="utf-8")
    settings.SHARED_DIR = tmp_path
    with pytest.raises(CommandError, match="780"):
        call_command("loaddemo")
    assert not Plan.objects.exists()


def test_the_consistency_check_puts_the_two_livelihood_counts_before_a_person(demo):
    from countyworks.indicators.services import consistency_issues
    from countyworks.regions.models import Region

    issues = consistency_issues(Region.objects.get(code="140427"), 2023)
    livelihood = [i for i in issues if "民生实事" in i.message]
    assert len(livelihood) == 1
    assert {c.quote for c in livelihood[0].citations} == {"16件民生实事", "12件民生实事"}
    # Nothing else in the demo contradicts itself: the stated 5× has no stored 2020 base to check against.
    assert [i.kind for i in issues] == ["related_disagreement"]


def test_it_marks_the_headline_indicators(demo):
    from countyworks.indicators.models import Indicator

    headline = set(Indicator.objects.filter(headline=True).values_list("name", flat=True))
    assert {"战略性新兴产业总产值", "接待游客人次", "景区收入"} <= headline
    assert "县处级领导班子读书班" not in headline
