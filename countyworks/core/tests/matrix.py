"""Shared helpers of the cross-cutting security tests: a small world on top of the test cast,
the clients of every role, and a fingerprint of the whole database.

The permission matrix (test_permission_matrix.py) reads its actors and objects from here, and the
other cross-cutting tests (escaping, soft delete, all-or-nothing) reuse the world and the
database fingerprint, so "nothing changed" means the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from openpyxl import Workbook

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.conftest import Cast
from countyworks.honours.models import Honour, HonourLevel
from countyworks.indicators.models import Indicator, Observation, Target
from countyworks.notify.models import Channel
from countyworks.plans.models import PlanNode, WorkItem
from countyworks.reading.models import DraftRecord, ProposalKind
from countyworks.reports.models import JobStatus, ReportJob, ReportKind
from countyworks.sources.models import Citation, Document, DocumentKind
from countyworks.supervision.models import (
    Blocker,
    ClosureRequest,
    Evidence,
    ExtensionRequest,
    Instruction,
    Notice,
    NoticeState,
    ProgressReport,
    ReviewState,
    SignOff,
)

# Every role of the matrix. There are no citizen accounts: a citizen is an anonymous visitor of the
# portal and the API, so the "citizen" column is an anonymous client too (it is kept as its own
# column so the table says what a citizen gets, not only what "anonymous" gets).
ROLES = (
    "anonymous",
    "citizen",
    "reporter_a_on_b",
    "reporter_a_own",
    "unit_head",
    "leader",
    "supervisor",
    "viewer",
    "outsider",
    "token_read",
    "token_write",
    "token_other",
)
PUBLIC_ROLES = ("anonymous", "citizen")
SESSION_ROLES = (
    "reporter_a_on_b",
    "reporter_a_own",
    "unit_head",
    "leader",
    "supervisor",
    "viewer",
    "outsider",
)
# issue 13: the head of unit A (单位负责人) belongs to the unit like its reporter and may report, so
# every row expects for the head what it expects for reporter A on its own unit unless it says otherwise.
UNIT_HEAD_AS = "reporter_a_own"
TOKEN_ROLES = ("token_read", "token_write", "token_other")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A tiny PNG (1×1, red); Pillow decodes it, so it passes the evidence checks.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@dataclass
class Side:
    """The objects of one unit's item: what a role acts on."""

    item: WorkItem
    submitted: ProgressReport
    returned: ProgressReport
    approved: ProgressReport
    evidence: Evidence
    private_evidence: Evidence
    notice: Notice
    answered_notice: Notice
    extension: Any = None  # issue 13: a pending 延期申请 of the side's unit
    closure: Any = None  # issue 13: a pending 办结 application of the side's unit
    blocker: Any = None  # issue 13: an open 问题协调 of the side's unit, addressed to the office
    signoff: Any = None  # issue 13: the side's unit has not signed for its item yet
    with_head: Any = None  # issue 13: a report of the side's unit waiting for its unit head (单位审签)
    instruction: Any = None  # issue 13: a leader's instruction (批示) on the side's item
    channel: Any = None  # issue 17: the side's unit's own WeCom robot


@dataclass
class World:
    cast: Cast
    a: Side
    b: Side
    node: PlanNode
    document: Document
    citation: Citation
    draft: DraftRecord
    indicator: Indicator
    observation: Observation
    target: Target
    honour: Honour
    job: ReportJob
    keys: dict[str, str] = field(default_factory=dict)
    unit_head: Any = None  # issue 13: the head of unit A

    def side_of(self, role: str) -> Side:
        """Reporter A "on B" acts on unit B's objects; every other role acts on unit A's."""
        return self.b if role == "reporter_a_on_b" else self.a


def _side(cast: Cast, item: WorkItem, reporter: Any, unit: Any, label: str) -> Side:
    def report(state: str, period: str, progress: str) -> ProgressReport:
        return ProgressReport.objects.create(
            item=item,
            period=period,
            text=f"{label} {period} 进展",
            progress=Decimal(progress),
            unit=unit,
            submitted_by=reporter,
            submitted_at=datetime(2023, int(period[5:7]), 28, 8, 0, tzinfo=UTC),
            state=state,
            reviewed_by=cast.supervisor if state != ReviewState.SUBMITTED else None,
            review_comment="请补充照片" if state == ReviewState.RETURNED else "",
        )

    approved = report(ReviewState.APPROVED, "2023-03", "20")
    returned = report(ReviewState.RETURNED, "2023-06", "40")
    submitted = report(ReviewState.SUBMITTED, "2023-09", "60")
    with_head = report(ReviewState.WITH_HEAD, "2023-10", "70")
    evidence = Evidence(
        report=approved, kind="photo", caption=f"{label}现场照片", content_type="image/png", public=True
    )
    evidence.file.save("x.png", ContentFile(PNG_1X1), save=False)
    evidence.original_name = "site.png"
    evidence.save()
    private = Evidence(report=approved, kind="photo", caption=f"{label}内部照片", public=False)
    private.content_type = "image/png"
    private.file.save("y.png", ContentFile(PNG_1X1), save=False)
    private.save()

    def notice(state: str, number: str) -> Notice:
        return Notice.objects.create(
            number=number,
            item=item,
            unit=unit,
            content=f"{label}请加快进度",
            deadline=date(2023, 12, 1),
            state=state,
            issued_by=cast.supervisor,
            issued_at=datetime(2023, 10, 1, tzinfo=UTC),
            answer="已加快" if state == NoticeState.ANSWERED else "",
        )

    return Side(
        item=item,
        submitted=submitted,
        returned=returned,
        approved=approved,
        evidence=evidence,
        private_evidence=private,
        notice=notice(NoticeState.ISSUED, f"督办〔2023〕{label}1号"),
        answered_notice=notice(NoticeState.ANSWERED, f"督办〔2023〕{label}2号"),
        extension=ExtensionRequest.objects.create(
            item=item,
            unit=unit,
            current_due_date=item.due_date,
            requested_due_date=date(2099, 6, 30),
            reason=f"{label}征地延后",
            applied_by=reporter,
            applied_at=datetime(2023, 10, 2, tzinfo=UTC),
        ),
        closure=ClosureRequest.objects.create(
            item=item,
            unit=unit,
            summary=f"{label}已完工",
            applied_by=reporter,
            applied_at=datetime(2023, 11, 2, tzinfo=UTC),
        ),
        blocker=Blocker.objects.create(
            item=item,
            unit=unit,
            addressed_to="office",
            text=f"{label}资金未到位",
            raised_by=reporter,
            raised_at=datetime(2023, 11, 3, tzinfo=UTC),
        ),
        signoff=SignOff.objects.create(item=item, unit=unit, assigned_at=datetime(2023, 1, 2, tzinfo=UTC)),
        with_head=with_head,
        instruction=Instruction.objects.create(item=item, author=cast.leader, text=f"{label}要抓紧推进"),
        channel=Channel.objects.create(
            unit=unit, name=f"{label}工作群", platform="wecom", events=["overdue"], token_encrypted="x"
        ),
    )


def build_world(cast: Cast) -> World:
    """Objects of every kind a screen or endpoint shows, on both units' items of the cast's plan."""
    node = PlanNode.objects.create(plan=cast.plan, title="产业转型", order=1)
    a = _side(cast, cast.item_a, cast.reporter_a, cast.unit_a, "甲")
    b = _side(cast, cast.item_b, cast.reporter_b, cast.unit_b, "乙")
    document = Document.objects.create(
        title="测试县2023年政府工作报告",
        slug="matrix-review-2023",
        kind=DocumentKind.WORK_REPORT,
        region=cast.county,
        year=2023,
        text="全年地区生产总值达到100亿元，增长5%。",
    )
    citation = Citation.objects.create(document=document, start=0, end=12, section="一")
    draft = DraftRecord.objects.create(
        document=document,
        start=9,
        end=13,
        text="100亿元",
        kind=ProposalKind.NOT_A_FIGURE,
        fields={},
    )
    indicator = Indicator.objects.create(code="matrix-gdp", name="地区生产总值", unit="亿元")
    observation = Observation.objects.create(
        indicator=indicator, region=cast.county, year=2023, value=Decimal("100"), unit="亿元", published=True
    )
    target = Target.objects.create(
        indicator=indicator, region=cast.county, year=2023, value=Decimal("105"), unit="亿元"
    )
    honour = Honour.objects.create(
        title="省级文明县城",
        level=HonourLevel.PROVINCIAL,
        holder_region=cast.county,
        year=2023,
        published=True,
    )
    job = ReportJob.objects.create(
        kind=ReportKind.REVIEW,
        fmt="pdf",
        region=cast.county,
        year=2023,
        requested_by=cast.supervisor,
        status=JobStatus.DONE,
        filename="review.pdf",
    )
    job.file.save("review.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    world = World(
        cast=cast,
        a=a,
        b=b,
        node=node,
        document=document,
        citation=citation,
        draft=draft,
        indicator=indicator,
        observation=observation,
        target=target,
        honour=honour,
        job=job,
    )
    from countyworks.accounts.models import Role, User

    world.unit_head = User.objects.create_user(
        username="unit_head_a", password="pass-for-tests-only", role=Role.UNIT_HEAD, region=cast.county
    )
    world.unit_head.organisation = cast.unit_a
    world.unit_head.save()
    _t, world.keys["token_read"] = ApiToken.issue(cast.supervisor, "read", cast.county, TokenScope.READ)
    _t, world.keys["token_write"] = ApiToken.issue(cast.supervisor, "write", cast.county, TokenScope.WRITE)
    _t, world.keys["token_other"] = ApiToken.issue(
        cast.outsider_supervisor, "other", cast.other_county, TokenScope.WRITE
    )
    return world


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a whole test module, built inside a transaction rolled back at its end.

    The matrix has a thousand cells; building the cast and the world for each would take minutes.
    Each test still runs in its own savepoint (pytest-django's `db`), so a write one cell makes is
    gone before the next cell starts.
    """
    from countyworks.conftest import cast as cast_fixture

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS):
                # The conftest's cast fixture, called once for the module rather than once a cell.
                world = build_world(cast_fixture.__wrapped__(db=None))
            yield world, media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def client_for(world: World, role: str) -> Client:
    """A test client acting as `role`: a logged-in session, a bearer token, or nobody."""
    cast = world.cast
    users = {
        "reporter_a_on_b": cast.reporter_a,
        "reporter_a_own": cast.reporter_a,
        "unit_head": world.unit_head,
        "leader": cast.leader,
        "supervisor": cast.supervisor,
        "viewer": cast.viewer,
        "outsider": cast.outsider_supervisor,
    }
    if role in users:
        client = Client()
        client.force_login(users[role])
        return client
    if role in TOKEN_ROLES:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.keys[role]}")
    return Client()


# Fields that change on every request whatever its outcome; they are not data a county owns.
VOLATILE_FIELDS = {"last_login", "last_used_at"}
VOLATILE_APPS = {"sessions"}


def database_fingerprint() -> dict[str, list[tuple]]:
    """Every row of every model (volatile fields aside), for "the database is exactly as before"."""
    snapshot: dict[str, list[tuple]] = {}
    for model in apps.get_models():
        if model._meta.app_label in VOLATILE_APPS or not model._meta.managed or model._meta.proxy:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE_FIELDS]
        snapshot[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*names))
    return snapshot


def row_counts() -> dict[str, int]:
    """The number of rows of every model (soft-deleted ones included)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def fingerprint_difference(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """The models whose rows differ, to name them in a failing assertion."""
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


TASK_HEADER = ["序号", "任务内容", "牵头县领导", "责任单位", "配合单位", "完成时限", "进度", "状态"]


def task_workbook(rows: list[list[Any]]) -> bytes:
    """A task table (分解表) as the importer expects it: a title row, the header, the rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["测试县2023年重点工作任务分解表"])
    sheet.append(TASK_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
