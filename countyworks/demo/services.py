"""The loader of the Huguan demo: turns `facts.py` into rows, idempotently, in one transaction.

Every fact record is found by its natural key and brought in line with the data module, so
running the loader twice changes nothing. The demo writes with the ORM directly rather than
through the domain services: those check a signed-in actor's permissions and stamp `now()`,
while the demo is a system load whose illustrative activity must carry dates within 2023.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts.models import User
from countyworks.core.services import ServiceError, save_versioned
from countyworks.demo import facts, year
from countyworks.demo.rules import DEMO_ACCOUNTS_ENV, demo_accounts_allowed
from countyworks.honours.models import Honour
from countyworks.indicators.models import Indicator, Observation
from countyworks.plans import cadence
from countyworks.plans.models import Milestone, Plan, PlanNode, WorkItem
from countyworks.regions.models import Organisation, OrganisationKind, Person, Region
from countyworks.regions.services import ensure_region
from countyworks.sources.models import Citation, Document
from countyworks.supervision import cycles
from countyworks.supervision.models import Instruction, Notice, NoticeState, ProgressReport, ReviewState

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class LoadResult:
    """What a load did, for the command's output and the tests."""

    counts: dict[str, int] = field(default_factory=dict)
    accounts_created: bool = False
    accounts_refused: bool = False
    activity_loaded: bool = False
    seed_text_stored: bool = False


def seed_path() -> Path:
    return Path(settings.SHARED_DIR) / facts.SEED_RELATIVE_PATH


def read_seed() -> str | None:
    """The seed article as text, or None when this machine does not have it."""
    path = seed_path()
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def check_seed(text: str) -> None:
    """Refuse a seed whose characters differ from the ones the data module cites.

    Storing such a text would make every reading screen highlight the wrong words.
    """
    for label, cite in facts.all_citations():
        found = text[cite.start : cite.end]
        if found != cite.quote:
            raise ServiceError(
                _(
                    "The seed at %(path)s does not match the demo's citations: %(label)s expects "
                    "%(quote)s at %(start)s–%(end)s but the file has %(found)s there."
                )
                % {
                    "path": seed_path(),
                    "label": label,
                    "quote": cite.quote,
                    "start": cite.start,
                    "end": cite.end,
                    "found": found,
                },
                field="seed",
            )


def database_is_empty() -> bool:
    """`--if-empty` loads only into a database with no plan and no work item at all."""
    return not Plan.objects.exists() and not WorkItem.all_objects.exists()


def accounts_allowed() -> bool:
    return demo_accounts_allowed(settings.DEBUG, os.environ.get(DEMO_ACCOUNTS_ENV))


def _sync(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set `values` on a row and save it only if something differs (keeps history quiet)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save()
    return bool(changed)


def _upsert(model: type[models.Model], manager: models.Manager, key: dict[str, Any], values: dict[str, Any]):
    found = manager.filter(**key).first()
    if found is None:
        return model.objects.create(**key, **values)
    _sync(found, values)
    return found


class _Loader:
    def __init__(self, seed_text: str | None) -> None:
        self.seed_text = seed_text
        self.county = ensure_region(facts.COUNTY_CODE)
        self.regions: dict[str, Region] = {
            code: ensure_region(code) for code in (facts.COUNTY_CODE, facts.CITY_CODE, facts.PROVINCE_CODE)
        }
        self.orgs: dict[str, Organisation] = {}
        self.plans: dict[str, Plan] = {}
        self.nodes: dict[str, PlanNode] = {}
        self.items: dict[str, WorkItem] = {}
        self.document: Document | None = None

    # Sources ---------------------------------------------------------------------------------
    def load_document(self) -> None:
        doc = facts.DOCUMENT
        values: dict[str, Any] = {
            "title": doc.title,
            "author": doc.author,
            "publisher": doc.publisher,
            "kind": doc.kind,
            "year": doc.year,
            "region": self.county,
        }
        if self.seed_text is not None:
            # The text lives only in the database, read from the shared folder, never in the repo.
            values["text"] = self.seed_text
            values["text_sha256"] = hashlib.sha256(self.seed_text.encode("utf-8")).hexdigest()
        self.document = _upsert(Document, Document.objects, {"slug": doc.slug}, values)

    def cite(self, cite: facts.Cite, note: str = "") -> Citation:
        return _upsert(
            Citation,
            Citation.objects,
            {"document": self.document, "start": cite.start, "end": cite.end},
            {"quote": cite.quote, "section": facts.section_of(cite.start), "note": note},
        )

    def load_byline(self) -> None:
        for name in facts.BYLINE:
            self.cite(name.cite, note=name.note)

    # Regions -----------------------------------------------------------------------------------
    def load_organisations(self) -> None:
        for org in facts.ORGANISATIONS:
            self.orgs[org.key] = _upsert(
                Organisation,
                Organisation.objects,
                {"region": self.regions[org.region_code], "name": org.name},
                {
                    "kind": org.kind,
                    "short_name": org.short_name,
                    "description": org.description,
                    "citation": self.cite(org.cite),
                },
            )

    # Plans -------------------------------------------------------------------------------------
    def load_plans(self) -> None:
        for plan in facts.PLANS:
            self.plans[plan.key] = _upsert(
                Plan,
                Plan.objects,
                {"region": self.county, "year": plan.year, "title": plan.title},
                {"description": plan.description, "citation": self.cite(plan.cite), "published": True},
            )
        for order, node in enumerate(facts.NODES):
            plan = self.plans[node.plan]
            self.nodes[node.key] = _upsert(
                PlanNode,
                PlanNode.objects,
                {"plan": plan, "kind": node.kind, "title": node.title},
                {
                    "parent": self.nodes[node.parent] if node.parent else None,
                    "number": node.number,
                    "description": node.description,
                    "order": order,
                    "citation": self.cite(node.cite),
                },
            )

    def load_leads(self) -> None:
        """The departments and county leaders (by title) the 2023 items are led by: 演示数据."""
        self.departments: dict[str, Organisation] = {}
        for key, name in year.DEPARTMENTS.items():
            self.departments[key] = _upsert(
                Organisation,
                Organisation.objects,
                {"region": self.county, "name": name},
                {
                    "kind": OrganisationKind.DEPARTMENT,
                    "description": year.DEPARTMENT_NOTE,
                },
            )
        self.leaders: dict[str, Person] = {}
        for key, title in year.LEADERS.items():
            self.leaders[key] = _upsert(
                Person,
                Person.objects,
                {"region": self.county, "name": title},
                {"title": f"{title}（{year.ILLUSTRATIVE}）", "is_county_leader": True},
            )

    def _replay_year(self, item: WorkItem, fact: Any, values: dict[str, Any]) -> WorkItem:
        """Create a 2023 item as it began and let it grow month by month (history dated in 2023)."""
        plan_year = item.plan.year
        item.progress, item.status = Decimal(0), facts.NOT_STARTED
        item._history_date = at(plan_year, 1, 3)
        item.save()
        for month, progress, done in year.monthly_progress(fact.key, fact.status == facts.COMPLETED):
            item.progress = progress
            item.status = facts.COMPLETED if done else facts.IN_PROGRESS
            approved = year.approved_on(fact.key, month)  # the day its monthly report was approved
            if done:
                item.completed_on = date(plan_year, *approved)
            item._history_date = at(plan_year, *approved)
            item.save()
        if any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            item._history_date = at(plan_year, 12, 29)
            item.save()
        return item

    def load_items(self) -> None:
        self.load_leads()
        for fact in facts.ITEMS:
            plan = self.plans[fact.plan]
            lead = year.LEADS.get(fact.key) if plan.year == year.YEAR else None
            # The plan's year is the item's period: the article reports on (or plans) whole years.
            values: dict[str, Any] = {
                "node": self.nodes[fact.node]
                if fact.node
                else self.nodes.get(facts.node_2023_for(fact.cite.start) or "")
                if fact.plan == "2023"
                else None,
                "description": fact.description,
                "status": fact.status,
                "progress": year.final_progress(fact.key, fact.status == facts.COMPLETED)
                if lead
                else Decimal("100")
                if fact.status == facts.COMPLETED
                else Decimal("0"),
                "stage": fact.stage,
                "target_value": fact.target_value,
                "target_unit": fact.target_unit,
                "beneficiaries": fact.beneficiaries,
                "beneficiary_count": fact.beneficiary_count,
                "party_lecture_delivered": fact.party_lecture_delivered,
                "problem": fact.problem,
                "measures": fact.measures,
                "lead_unit": self.orgs[fact.lead_unit]
                if fact.lead_unit
                else self.departments[lead.unit]
                if lead and lead.unit
                else None,
                "lead_leader": self.leaders[lead.leader] if lead else None,
                "start_date": date(plan.year, 1, 1),
                "due_date": date(plan.year, 12, 31),
                # The replay finishes a done item in a month of its own (演示数据, year.py).
                "completed_on": _completed_on(plan.year, fact) if lead else None,
                "citation": self.cite(fact.cite),
                "published": True,
                "illustrative": False,
            }
            item = WorkItem.all_objects.filter(plan=plan, kind=fact.kind, title=fact.title).first()
            if item is None and lead is not None:
                item = self._replay_year(
                    WorkItem(plan=plan, kind=fact.kind, title=fact.title, **values), fact, values
                )
            elif item is None:
                item = WorkItem.objects.create(plan=plan, kind=fact.kind, title=fact.title, **values)
            elif any(getattr(item, name) != value for name, value in values.items()):
                save_versioned(item, None, values)
            wanted_co_units = {self.orgs[key].pk for key in fact.co_units}
            if set(item.co_units.values_list("pk", flat=True)) != wanted_co_units:
                item.co_units.set(wanted_co_units)
            for title in fact.milestones:
                done_on = None  # the article says the parts are done but gives no dates
                Milestone.objects.get_or_create(item=item, title=title, defaults={"done_on": done_on})
            self.items[fact.key] = item

    # Indicators and honours --------------------------------------------------------------------
    def load_indicators(self) -> None:
        indicators = {}
        for ind in facts.INDICATORS:
            indicators[ind.code] = _upsert(
                Indicator,
                Indicator.objects,
                {"code": ind.code},
                {
                    "name": ind.name,
                    "unit": ind.unit,
                    "area": ind.area,
                    "description": ind.description,
                    "direction": ind.direction,
                    "headline": ind.code in facts.HEADLINE_CODES,
                },
            )
        for obs in facts.OBSERVATIONS:
            _upsert(
                Observation,
                Observation.objects,
                {
                    "indicator": indicators[obs.indicator],
                    "region": self.regions[obs.region_code] if obs.region_code else None,
                    "organisation": self.orgs[obs.organisation] if obs.organisation else None,
                    "year": obs.year,
                    "value_kind": obs.value_kind,
                },
                {
                    "value": obs.value,
                    "unit": obs.unit,
                    "qualifier": obs.qualifier,
                    "base_year": obs.base_year,
                    "base_label": obs.base_label,
                    "doubtful": obs.doubtful,
                    "note": obs.note,
                    "citation": self.cite(obs.cite),
                    "published": True,
                    "illustrative": False,
                },
            )

    def load_honours(self) -> None:
        for honour in facts.HONOURS:
            _upsert(
                Honour,
                Honour.objects,
                {
                    "title": honour.title,
                    "holder_region": self.regions[honour.region_code] if honour.region_code else None,
                    "holder_organisation": self.orgs[honour.organisation] if honour.organisation else None,
                },
                {
                    "level": honour.level,
                    "year": honour.year,
                    "note": honour.note,
                    "citation": self.cite(honour.cite),
                    "published": True,
                },
            )

    # Accounts and illustrative activity --------------------------------------------------------
    def load_accounts(self) -> dict[str, User]:
        users: dict[str, User] = {}
        for account in facts.ACCOUNTS:
            values = {
                "role": account.role,
                "region": self.county,
                "organisation": self.orgs[account.organisation] if account.organisation else None,
                "first_name": account.display_name,
                "is_staff": account.superuser,
                "is_superuser": account.superuser,
                "is_active": True,
            }
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = User(username=account.username, **values)
                # The password is set once: a demo user who changed it keeps the new one.
                user.set_password(facts.DEMO_PASSWORD)
                user.save()
            else:
                _sync(user, values)
            users[account.username] = user
            if account.role == "unit_head" and account.organisation:
                # A unit with a head's account has its reports approved by the head (单位审签).
                Organisation.objects.filter(pk=self.orgs[account.organisation].pk).update(
                    reports_need_head_approval=True
                )
        return users

    def load_activity(self, users: dict[str, User]) -> None:
        """Progress reports, a notice and an instruction the article does not give: all illustrative."""
        supervisor = users["demo_supervisor"]
        hospital, scenic = users["demo_reporter_hospital"], users["demo_reporter_scenic"]
        tickets, partnership = self.items["free_scenic_tickets"], self.items["heping_partnership"]
        reports = (
            (
                tickets,
                scenic,
                "2023-Q1",
                "50",
                "景区已对首批持证居民免票放行，正在补办在壶工作人员登记。",
                at(2023, 3, 30),
                ReviewState.APPROVED,
                at(2023, 4, 3),
                "同意。",
            ),
            (
                tickets,
                scenic,
                "2023-Q2",
                "100",
                "免票政策已覆盖全部对象，入园核验系统上线运行。",
                at(2023, 6, 28),
                ReviewState.APPROVED,
                at(2023, 7, 3),
                "已核验佐证材料，同意销号。",
            ),
            (
                partnership,
                hospital,
                "2023-Q2",
                "40",
                "与市级医院签订合作协议，首批专家已到院坐诊。",
                at(2023, 6, 29),
                ReviewState.RETURNED,
                at(2023, 7, 5),
                "请补充重点学科建设的具体进展和照片佐证。",
            ),
            (
                partnership,
                hospital,
                "2023-Q3",
                "60",
                "重点学科建设方案已定，进修人员分两批赴市级医院学习。",
                at(2023, 10, 8),
                ReviewState.SUBMITTED,
                None,
                "",
            ),
        )
        for item, reporter, period, progress, text, submitted_at, state, reviewed_at, comment in reports:
            report = _upsert(
                ProgressReport,
                ProgressReport.all_objects,
                {"item": item, "period": period, "illustrative": True},
                {
                    "text": text,
                    "progress": Decimal(progress),
                    "unit": reporter.organisation,
                    "submitted_by": reporter,
                    "submitted_at": submitted_at,
                    "state": state,
                    "reviewed_by": supervisor if reviewed_at else None,
                    "reviewed_at": reviewed_at,
                    "review_comment": comment,
                },
            )
            _backdate(ProgressReport, report.pk, submitted_at)

        notice = _upsert(
            Notice,
            Notice.objects,
            {"item": partnership, "unit": hospital.organisation, "illustrative": True},
            {
                "number": "督办〔2023〕演示1号",
                "content": "请于期限前报送合作共建的季度进展和佐证材料。",
                "deadline": date(2023, 7, 20),
                "issued_by": supervisor,
                "issued_at": at(2023, 7, 6),
                "state": NoticeState.ANSWERED,
                "acknowledged_at": at(2023, 7, 7),
                "answer": "已整理学科建设进展，随二季度报告重新报送。",
                "answered_by": hospital,
                "answered_at": at(2023, 7, 18),
            },
        )
        _backdate(Notice, notice.pk, at(2023, 7, 6))

        instruction = _upsert(
            Instruction,
            Instruction.objects,
            {"item": self.items["district_heating"], "author": users["demo_leader"], "illustrative": True},
            {"text": "供热管网要倒排工期、挂图作战，确保供暖季前具备通热条件。"},
        )
        _backdate(Instruction, instruction.pk, at(2023, 8, 15))
        self.load_year_of_supervision(users)
        self.load_monthly_reports(users["demo_supervisor"])

    def load_monthly_reports(self, supervisor: User) -> None:
        """Every tracked 2023 item's monthly reports (`year.monthly_reports`, 演示数据), each
        approved on the day the item's history takes its progress; some returned once first.

        Written once: a report that exists (its item and period) is left as it is, so a second
        load writes nothing. Each state change is saved with its own 2023 date, so the report's
        history shows the return and the second submission."""
        existing = set(ProgressReport.all_objects.filter(illustrative=True).values_list("item_id", "period"))
        for fact in facts.ITEMS:
            if fact.plan != str(year.YEAR) or fact.key not in year.LEADS or fact.key in year.OWN_REPORTS:
                continue
            item = self.items[fact.key]
            schedule = cycles.schedule_for(item)
            for planned in year.monthly_reports(fact.key, fact.status == facts.COMPLETED):
                if (item.pk, planned.period) in existing:
                    continue
                self._write_monthly_report(item, planned, supervisor, schedule)

    def _write_monthly_report(
        self, item: WorkItem, planned: year.MonthlyReport, supervisor: User, schedule: cadence.Schedule
    ) -> None:
        submitted_at = at(year.YEAR, *planned.submitted)
        report = ProgressReport(
            item=item,
            period=planned.period,
            text=planned.text,
            progress=planned.progress,
            unit=item.lead_unit,
            submitted_at=submitted_at,
            state=ReviewState.SUBMITTED,
            illustrative=True,
            # Marked by the item's reporting cycle, as services.submit_report marks a real one.
            late=cadence.is_late(planned.period, timezone.localdate(submitted_at), schedule),
        )
        report._history_date = report.submitted_at
        report.save()
        if planned.returned and planned.resubmitted:
            _review(
                report,
                supervisor,
                ReviewState.RETURNED,
                at(year.YEAR, *planned.returned),
                planned.return_comment,
            )
            report.text = f"{planned.text}已按督查室意见补充佐证材料。"
            report.state, report.submitted_at = ReviewState.SUBMITTED, at(year.YEAR, *planned.resubmitted)
            report.version += 1
            report._history_date = report.submitted_at
            report.save()
        approved = at(year.YEAR, *planned.approved)
        _review(
            report,
            supervisor,
            ReviewState.APPROVED,
            approved,
            "已核验，同意销号。" if planned.done else "同意。",
        )
        # auto_now fields: the report was first sent on its submission day and last changed when approved.
        ProgressReport.all_objects.filter(pk=report.pk).update(
            created_at=at(year.YEAR, *planned.submitted), updated_at=approved
        )

    def load_year_of_supervision(self, users: dict[str, User]) -> None:
        """The year's notices and instructions of `year.NOTICES` / `year.INSTRUCTIONS` (演示数据)."""
        supervisor, leader = users["demo_supervisor"], users["demo_leader"]
        for number, (key, (month, day), content, allowed, took) in enumerate(year.NOTICES, start=2):
            item = self.items[key]
            issued = at(year.YEAR, month, day)
            answered = issued + timedelta(days=took) if took is not None else None
            notice = _upsert(
                Notice,
                Notice.objects,
                {"item": item, "unit": item.lead_unit, "illustrative": True, "content": content},
                {
                    "number": f"督办〔{year.YEAR}〕演示{number}号",
                    "deadline": issued.date() + timedelta(days=allowed),
                    "issued_by": supervisor,
                    "issued_at": issued,
                    "state": NoticeState.ANSWERED if answered else NoticeState.ACKNOWLEDGED,
                    "acknowledged_at": issued + timedelta(days=1),
                    "answer": "已按要求整理情况并报送，后续按周更新进展。" if answered else "",
                    "answered_at": answered,
                },
            )
            _backdate(Notice, notice.pk, issued)
        for key, (month, day), text in year.INSTRUCTIONS:
            instruction = _upsert(
                Instruction,
                Instruction.objects,
                {"item": self.items[key], "author": leader, "illustrative": True, "text": text},
                {},
            )
            _backdate(Instruction, instruction.pk, at(year.YEAR, month, day))


def _completed_on(plan_year: int, fact: Any) -> date | None:
    month = year.completion_month(fact.key, fact.status == facts.COMPLETED)
    return date(plan_year, *year.approved_on(fact.key, month)) if month else None


def _review(report: ProgressReport, reviewer: User, state: str, moment: datetime, comment: str) -> None:
    report.state, report.reviewed_by, report.reviewed_at, report.review_comment = (
        state,
        reviewer,
        moment,
        comment,
    )
    report.version += 1  # as services.save_versioned counts each write
    report._history_date = moment
    report.save()


def at(year: int, month: int, day: int) -> datetime:
    """A working-hours moment in Huguan's time zone."""
    return datetime.combine(date(year, month, day), time(10, 0), tzinfo=SHANGHAI)


def _backdate(model: type[models.Model], pk: int, moment: datetime) -> None:
    # auto_now fields cannot be set through save(); the demo's history must sit in 2023.
    model._default_manager.filter(pk=pk).update(created_at=moment, updated_at=moment)


def region_counts() -> dict[str, int]:
    """How many demo-relevant rows exist: what the command prints and the idempotency test compares."""
    return {
        "documents": Document.objects.filter(slug=facts.DOCUMENT_SLUG).count(),
        "citations": Citation.objects.filter(document__slug=facts.DOCUMENT_SLUG).count(),
        "organisations": Organisation.objects.count(),
        "plans": Plan.objects.count(),
        "goal_tree_nodes": PlanNode.objects.count(),
        "work_items": WorkItem.all_objects.count(),
        "milestones": Milestone.objects.count(),
        "indicators": Indicator.objects.count(),
        "observations": Observation.objects.count(),
        "honours": Honour.objects.count(),
        "users": User.objects.count(),
        "progress_reports": ProgressReport.all_objects.count(),
        "notices": Notice.objects.count(),
        "instructions": Instruction.objects.count(),
    }


@transaction.atomic
def load_demo(*, with_activity: bool = True, seed_text: str | None = None) -> LoadResult:
    """Load (or bring up to date) the whole Huguan demo. All or nothing.

    `seed_text` defaults to the seed read from `settings.SHARED_DIR`; when it is missing the
    facts still load with their offsets, only `Document.text` stays empty.
    """
    text = seed_text if seed_text is not None else read_seed()
    if text is not None:
        check_seed(text)
    loader = _Loader(text)
    loader.load_document()
    loader.load_byline()
    loader.load_organisations()
    loader.load_plans()
    loader.load_items()
    loader.load_indicators()
    loader.load_honours()
    result = LoadResult(seed_text_stored=text is not None)
    if accounts_allowed():
        users = loader.load_accounts()
        result.accounts_created = True
        if with_activity:
            loader.load_activity(users)
            result.activity_loaded = True
    else:
        # Activity needs the demo's reporters and supervisor, so it goes with them.
        result.accounts_refused = True
    result.counts = region_counts()
    return result


def facts_by_section() -> dict[str, list[str]]:
    """Every cited record in the database grouped by the seed heading it comes from."""
    listing: dict[str, list[str]] = {}
    labelled: list[tuple[str, Any]] = []
    labelled += [
        (f"organisation: {o.name}", o.citation) for o in Organisation.objects.select_related("citation")
    ]
    labelled += [(f"plan: {p.title}", p.citation) for p in Plan.objects.select_related("citation")]
    labelled += [(f"goal tree: {n.title}", n.citation) for n in PlanNode.objects.select_related("citation")]
    labelled += [
        (f"item [{i.kind}/{i.status}]: {i.title}", i.citation)
        for i in WorkItem.objects.select_related("citation")
    ]
    labelled += [
        (f"observation: {o.indicator.name} {o.value.normalize():f}{o.unit} ({o.qualifier})", o.citation)
        for o in Observation.objects.select_related("citation", "indicator")
    ]
    labelled += [
        (f"honour [{h.level}]: {h.title}", h.citation) for h in Honour.objects.select_related("citation")
    ]
    labelled += [
        (f"source note: {c.note}", c)
        for c in Citation.objects.filter(document__slug=facts.DOCUMENT_SLUG).exclude(note="")
    ]
    for label, citation in labelled:
        if citation is None or citation.document.slug != facts.DOCUMENT_SLUG:
            continue
        listing.setdefault(citation.section, []).append(
            f"{label}  «{citation.quote}» [{citation.start}:{citation.end}]"
        )
    return listing
