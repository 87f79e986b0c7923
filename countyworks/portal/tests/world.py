"""A small published world on top of the test cast, with every kind of private record beside it.

Portal and API tests both use it: each private record carries a marker string that must never
appear in public HTML or anonymous JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target
from countyworks.plans.models import ItemKind, ItemStatus, PlanNode, ProjectStage, WorkItem
from countyworks.regions.models import Person
from countyworks.sources.models import Citation, Document, DocumentKind
from countyworks.supervision.models import Evidence, Instruction, Notice, ProgressReport, ReviewState

# Marker strings of private records: none may reach a public page or an anonymous API answer.
SECRETS = {
    "phone": "13900001111",
    "instruction": "批示标记甲",
    "returned": "退回标记乙",
    "submitted": "待审标记丙",
    "review_comment": "内部意见丁",
    "internal_item": "内部事项戊",
    "draft_item": "草稿事项己",
    "internal_observation": "内部指标庚",
    "internal_honour": "内部荣誉辛",
    "draft_honour": "未发布荣誉壬",
    "notice": "督办标记癸",
    "private_photo": "不公开照片子",
    "upload": "内部上传丑",
}

# A 1×1 JPEG, enough for a browser to draw and for the evidence view to serve.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
    "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101"
    "011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403"
    "050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a1617"
    "18191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a83"
    "8485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7"
    "d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


@dataclass
class World:
    livelihood: WorkItem
    approved: ProgressReport
    public_photo: Evidence
    private_photo: Evidence
    returned: ProgressReport
    submitted: ProgressReport
    gdp: Indicator
    public_observation: Observation
    internal_observation: Observation
    honour: Honour
    notice: Notice
    document: Document
    upload: Document


def build_world(cast) -> World:
    cast.leader_person.phone = SECRETS["phone"]
    cast.leader_person.save()
    Person.objects.create(name="联系人", region=cast.county, phone=SECRETS["phone"])
    plan = cast.plan
    node = PlanNode.objects.create(plan=plan, number="一、", title="民生保障")
    livelihood = WorkItem.objects.create(
        plan=plan,
        node=node,
        kind=ItemKind.LIVELIHOOD,
        number="1",
        title="城区新建公办幼儿园",
        target="新增学位360个",
        lead_unit=cast.unit_a,
        status=ItemStatus.IN_PROGRESS,
        progress=Decimal("60"),
        published=True,
    )
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        stage=ProjectStage.UNDER_CONSTRUCTION, progress=Decimal("45")
    )
    WorkItem.objects.create(
        plan=plan, kind=ItemKind.LIVELIHOOD, title=SECRETS["internal_item"], published=True, internal=True
    )
    WorkItem.objects.create(plan=plan, kind=ItemKind.LIVELIHOOD, title=SECRETS["draft_item"], published=False)
    now = timezone.now()
    approved = ProgressReport.objects.create(
        item=livelihood,
        period="2023-Q3",
        text="主体完工",
        progress=Decimal("60"),
        unit=cast.unit_a,
        submitted_by=cast.reporter_a,
        submitted_at=now,
        state=ReviewState.APPROVED,
        reviewed_by=cast.supervisor,
        reviewed_at=now,
        review_comment=SECRETS["review_comment"],
    )
    public_photo = Evidence(
        report=approved, kind="photo", caption="幼儿园主体结构封顶", content_type="image/jpeg", public=True
    )
    public_photo.file.save("a.jpg", ContentFile(TINY_JPEG), save=False)
    public_photo.size = len(TINY_JPEG)
    public_photo.save()
    private_photo = Evidence(
        report=approved,
        kind="photo",
        caption=SECRETS["private_photo"],
        content_type="image/jpeg",
        public=False,
    )
    private_photo.file.save("b.jpg", ContentFile(TINY_JPEG), save=False)
    private_photo.save()
    returned = ProgressReport.objects.create(
        item=livelihood, period="2023-Q2", text=SECRETS["returned"], progress=Decimal("30"), unit=cast.unit_a,
        submitted_at=now, state=ReviewState.RETURNED, review_comment=SECRETS["review_comment"],
    )  # fmt: skip
    submitted = ProgressReport.objects.create(
        item=livelihood, period="2023-Q4", text=SECRETS["submitted"], progress=Decimal("70"), unit=cast.unit_a,
        submitted_by=cast.reporter_a, submitted_at=now, state=ReviewState.SUBMITTED,
    )  # fmt: skip
    Instruction.objects.create(item=livelihood, author=cast.leader, text=SECRETS["instruction"])
    notice = Notice.objects.create(
        item=livelihood,
        unit=cast.unit_a,
        content=SECRETS["notice"],
        deadline=date(2023, 12, 1),
        issued_at=now,
    )
    gdp = Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元", headline=True)
    for year, value, qualifier in [(2021, "98.5", Qualifier.EXACT), (2022, "104", Qualifier.NEARLY)]:
        public_observation = Observation.objects.create(
            indicator=gdp, region=cast.county, year=year, value=Decimal(value), unit="亿元",
            qualifier=qualifier, published=True,
        )  # fmt: skip
    internal_observation = Observation.objects.create(
        indicator=gdp, region=cast.county, year=2023, value=Decimal("1"), unit="亿元",
        note=SECRETS["internal_observation"], published=True, internal=True,
    )  # fmt: skip
    Target.objects.create(indicator=gdp, region=cast.county, year=2023, value=Decimal("110"), unit="亿元")
    honour = Honour.objects.create(
        title="全国文明城市提名城市",
        level=HonourLevel.NATIONAL,
        holder_region=cast.county,
        year=2023,
        published=True,
    )
    Honour.objects.create(
        title=SECRETS["internal_honour"], level=HonourLevel.CITY, holder_region=cast.county, published=True,
        internal=True,
    )  # fmt: skip
    Honour.objects.create(title=SECRETS["draft_honour"], level=HonourLevel.CITY, holder_region=cast.county)
    document = Document.objects.create(
        title="2023年政府工作报告",
        slug="wr-2023",
        kind=DocumentKind.WORK_REPORT,
        region=cast.county,
        year=2023,
    )
    Citation.objects.create(document=document, start=0, end=4, quote="幼儿园")
    upload = Document.objects.create(
        title=SECRETS["upload"], slug="upload-1", kind=DocumentKind.UPLOAD, region=cast.county
    )
    return World(
        livelihood=livelihood,
        approved=approved,
        public_photo=public_photo,
        private_photo=private_photo,
        returned=returned,
        submitted=submitted,
        gdp=gdp,
        public_observation=public_observation,
        internal_observation=internal_observation,
        honour=honour,
        notice=notice,
        document=document,
        upload=upload,
    )
