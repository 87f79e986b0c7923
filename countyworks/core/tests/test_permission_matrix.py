"""Who gets what: every screen and API endpoint × every role, from one table.

Each row of TABLE names a URL pattern, a method, how to build the URL and the payload for a role,
and what each role must get. One pytest case per (row, role) cell. Writes that are refused must
leave every row of every model as it was; writes that are allowed must change something.

A test walks the URL resolver and the API's operations and fails when a route has no row, so a
new screen or endpoint cannot arrive without saying who may use it.

Roles: see matrix.ROLES. There are no citizen accounts — a citizen is an anonymous visitor — so
the "citizen" column is an anonymous client, kept apart to make the table read as the brief asks.
Tokens are the supervisor's read-only and read-write tokens of the county, and an outsider
supervisor's read-write token of another county; screens ignore bearer tokens (they are for
programs), so on a screen a token caller is an anonymous visitor sent to the login page.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls import resolve as resolve_path

from countyworks.core.tests.matrix import (  # noqa: F401 (shared_world is a fixture)
    PUBLIC_ROLES,
    ROLES,
    SESSION_ROLES,
    TOKEN_ROLES,
    UNIT_HEAD_AS,
    Side,
    World,
    build_world,
    client_for,
    database_fingerprint,
    fingerprint_difference,
    shared_world,
    task_workbook,
)
from countyworks.plans.forms import WorkItemForm

Expect = int | str  # a status code, "login" (302 to the login page) or "redirect" (302 elsewhere)
LOGIN = "login"
REDIRECT = "redirect"


@dataclass(frozen=True)
class Row:
    name: str  # the URL pattern's name, namespace included
    method: str
    url: Callable[[World, Side], str]
    expected: dict[str, Expect]
    payload: Callable[[World, Side], Any] | None = None
    json: bool = False  # payload sent as a JSON body (the API) rather than a form
    changes: bool = True  # an allowed write must change the database
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"


def screen(default: Expect, **cells: Expect) -> dict[str, Expect]:
    """A login-required screen: visitors and token callers go to the login page."""
    expected: dict[str, Expect] = {role: LOGIN for role in PUBLIC_ROLES + TOKEN_ROLES}
    expected.update({role: default for role in SESSION_ROLES})
    expected.update(cells)
    return _head_as_reporter(expected, cells)


def _head_as_reporter(expected: dict[str, Expect], cells: dict[str, Expect]) -> dict[str, Expect]:
    """The unit head gets what reporter A gets on its own unit, unless the row says otherwise."""
    if "unit_head" not in cells:
        expected["unit_head"] = expected[UNIT_HEAD_AS]
    return expected


def everyone(default: Expect, **cells: Expect) -> dict[str, Expect]:
    expected: dict[str, Expect] = {role: default for role in ROLES}
    expected.update(cells)
    return _head_as_reporter(expected, cells)


# Shorthands for what most rows share.
ITEM_SCOPED = {"reporter_a_on_b": 404, "outsider": 404}  # objects of an item the role cannot see
API_ITEM_SCOPED = {"reporter_a_on_b": 404, "outsider": 404, "token_other": 404}
API_REGION_SCOPED = {"outsider": 404, "token_other": 404}
API_WRITE_DENIED = {"anonymous": 401, "citizen": 401, "token_read": 403}


def api_write(default: Expect, **cells: Expect) -> dict[str, Expect]:
    return everyone(default, **{**API_WRITE_DENIED, **cells})


def url(name: str, *args_of: Callable[[World, Side], Any], query: str = "") -> Callable[[World, Side], str]:
    def build(world: World, side: Side) -> str:
        return reverse(name, args=[arg(world, side) for arg in args_of]) + query

    return build


def api_url(name: str, *args_of: Callable[[World, Side], Any]) -> Callable[[World, Side], str]:
    return url(f"api:{name}", *args_of)


ITEM = lambda w, s: s.item.pk  # noqa: E731
SUBMITTED = lambda w, s: s.submitted.pk  # noqa: E731
RETURNED = lambda w, s: s.returned.pk  # noqa: E731
APPROVED = lambda w, s: s.approved.pk  # noqa: E731
NOTICE = lambda w, s: s.notice.pk  # noqa: E731
ANSWERED = lambda w, s: s.answered_notice.pk  # noqa: E731
EXTENSION = lambda w, s: s.extension.pk  # noqa: E731 (issue 13)
CHANNEL = lambda w, s: s.channel.pk  # noqa: E731 (issue 17)
SIGNOFF = lambda w, s: s.signoff.pk  # noqa: E731 (issue 13)
CLOSURE = lambda w, s: s.closure.pk  # noqa: E731 (issue 13)
BLOCKER = lambda w, s: s.blocker.pk  # noqa: E731 (issue 13)
WITH_HEAD = lambda w, s: s.with_head.pk  # noqa: E731 (issue 13)
INSTRUCTION = lambda w, s: s.instruction.pk  # noqa: E731 (issue 13)
COUNTY = lambda w, s: w.cast.county.code  # noqa: E731
YEAR = lambda w, s: 2023  # noqa: E731


def form_data(form: Any) -> dict[str, Any]:
    """What a browser posts for an unchanged form: every field's current value."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def item_edit_payload(world: World, side: Side) -> dict[str, Any]:
    data = form_data(WorkItemForm(instance=side.item, plan=side.item.plan))
    data["title"] = side.item.title + "（已改）"
    return data


def item_new_payload(world: World, side: Side) -> dict[str, Any]:
    data = form_data(WorkItemForm(plan=world.cast.plan))
    data.update(title="矩阵新增任务", kind="routine")
    return data


def pending_import(world: World, side: Side) -> dict[str, Any]:
    """A task table waiting for confirmation, as the upload screen leaves it."""
    token = secrets.token_hex(16)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [[1, "矩阵导入任务", "", world.cast.unit_a.name, "", "2023年12月底", "", ""]]
    (folder / f"{token}.xlsx").write_bytes(task_workbook(rows))
    return {"plan": world.cast.plan.pk, "token": token}


def task_upload(world: World, side: Side) -> dict[str, Any]:
    rows = [[1, "矩阵导入任务", "", world.cast.unit_a.name, "", "2023年12月底", "", ""]]
    return {"plan": world.cast.plan.pk, "file": SimpleUploadedFile("tasks.xlsx", task_workbook(rows))}


def pending_figures(world: World, side: Side) -> dict[str, Any]:
    """A figure table waiting for confirmation, as the indicator import's upload leaves it."""
    token = secrets.token_hex(16)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.xlsx").write_bytes(figure_workbook(world))
    return {"token": token}


def figure_workbook(world: World) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["指标", "年份", "数值"])
    book.active.append([world.indicator.code, 2022, 90])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def figure_upload(world: World, side: Side) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("figures.xlsx", figure_workbook(world))}


def figure_form(world: World, side: Side, **fields: Any) -> dict[str, Any]:
    data = {"indicator": world.indicator.pk, "year": "2022", "value_kind": "level", "value": "90"}
    return data | {"qualifier": "exact"} | fields


# issue 19: the ledger's Excel round trip
def roundtrip_workbook(world: World) -> bytes:
    """The plan's ledger as exported, with one item's title edited (a change the office may make)."""
    from io import BytesIO

    from openpyxl import load_workbook

    from countyworks.plans.models import WorkItem
    from countyworks.supervision import status
    from countyworks.supervision.ledger_export import ID_COLUMN, build_ledger_workbook

    items = status.annotate(WorkItem.objects.filter(plan=world.cast.plan)).order_by("id")
    buffer = BytesIO()
    build_ledger_workbook(items, "台账").save(buffer)
    book = load_workbook(BytesIO(buffer.getvalue()))
    sheet = book.active
    line = next(
        r for r in range(3, sheet.max_row + 1) if sheet.cell(r, ID_COLUMN).value == world.cast.item_a.pk
    )
    sheet.cell(line, 2).value = "矩阵往返改名"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def roundtrip_upload(world: World, side: Side) -> dict[str, Any]:
    return {"plan": world.cast.plan.pk, "file": SimpleUploadedFile("ledger.xlsx", roundtrip_workbook(world))}


def pending_roundtrip(world: World, side: Side) -> dict[str, Any]:
    token = secrets.token_hex(16)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.xlsx").write_bytes(roundtrip_workbook(world))
    return {"plan": world.cast.plan.pk, "token": token}


OBSERVATION = lambda w, s: w.observation.pk  # noqa: E731
TARGET = lambda w, s: w.target.pk  # noqa: E731
IN_COUNTY = "?region=140427"


TABLE: list[Row] = [
    # Entry points, accounts ------------------------------------------------------------------
    Row("home", "GET", url("home"), everyone(REDIRECT)),
    Row("healthz", "GET", url("healthz"), everyone(200)),
    Row("accounts:login", "GET", url("accounts:login"), everyone(200)),
    # issue 12: the forgotten-password path is open to everyone (it never says whether an address exists)
    Row("accounts:password_reset", "GET", url("accounts:password_reset"), everyone(200)),
    Row("accounts:password_reset_done", "GET", url("accounts:password_reset_done"), everyone(200)),
    Row(
        "accounts:password_reset_confirm",
        "GET",
        url("accounts:password_reset_confirm", lambda w, s: "MQ", lambda w, s: "bad-token"),
        everyone(200),
    ),
    Row("accounts:password_reset_complete", "GET", url("accounts:password_reset_complete"), everyone(200)),
    Row(
        "accounts:logout", "POST", url("accounts:logout"), everyone(REDIRECT), lambda w, s: {}, changes=False
    ),
    # Task-table import -----------------------------------------------------------------------
    Row("plans_import:upload", "GET", url("plans_import:upload"), screen(403, supervisor=200)),
    Row(
        "plans_import:upload",
        "POST",
        url("plans_import:upload"),
        screen(403, supervisor=200),
        task_upload,
        changes=False,  # the preview writes nothing
    ),
    Row(
        "plans_import:confirm",
        "POST",
        url("plans_import:confirm"),
        screen(403, supervisor=REDIRECT),
        pending_import,
    ),
    Row("plans_import:template", "GET", url("plans_import:template"), screen(403, supervisor=200)),
    # issue 19 ---------------------------------------------------------------------------------
    Row("ledger:roundtrip", "GET", url("ledger:roundtrip"), screen(403, supervisor=200)),
    Row(
        "ledger:roundtrip",
        "POST",
        url("ledger:roundtrip"),
        screen(403, supervisor=200),
        roundtrip_upload,
        changes=False,  # the preview writes nothing
    ),
    Row(
        "ledger:roundtrip_confirm",
        "POST",
        url("ledger:roundtrip_confirm"),
        screen(403, supervisor=REDIRECT),
        pending_roundtrip,
    ),
    Row(
        "supervision:assessment",
        "GET",
        url("supervision:assessment", query="?month=2023-06"),
        screen(200, reporter_a_on_b=403, reporter_a_own=403, outsider=403),
    ),
    Row("supervision:assessment_bonus", "GET", url("supervision:assessment_bonus"), screen(405)),
    Row(
        "supervision:assessment_bonus",
        "POST",
        lambda w, s: reverse("supervision:assessment_bonus") + f"?plan={w.cast.plan.pk}",
        screen(403, supervisor=REDIRECT, outsider=403),
        lambda w, s: {
            "unit": s.item.lead_unit_id,
            "rule": "praise",
            "points": "2",
            "reason": "矩阵加分",
            "awarded_on": "2023-06-30",
        },
        changes=False,  # the plan's default formula has no bonus rule: refused with a message
        label="without a bonus rule",
    ),
    # Reporting cycles: everyone working reads what their units owe; the office sets the cycles and
    # reopens a reviewed period (the side's approved report locks 2023-03 for its unit).
    Row(
        "supervision:missing_reports",
        "GET",
        lambda w, s: reverse("supervision:missing_reports") + f"?plan={w.cast.plan.pk}&as_of=2023-06-30",
        screen(200),
    ),
    Row(
        "supervision:missing_reports",
        "GET",
        lambda w, s: reverse("supervision:missing_reports") + f"?plan={w.cast.plan.pk}&format=xlsx",
        screen(200),
        label="xlsx",
    ),
    Row(
        "supervision:plan_cycles",
        "GET",
        lambda w, s: reverse("supervision:plan_cycles") + f"?plan={w.cast.plan.pk}",
        screen(403, supervisor=200),
    ),
    Row(
        "supervision:plan_cycles",
        "POST",
        lambda w, s: reverse("supervision:plan_cycles") + f"?plan={w.cast.plan.pk}",
        screen(403, supervisor=REDIRECT),
        lambda w, s: {"all-cadence": "quarterly", "all-closes_after_end": "5"},
    ),
    Row("supervision:period_reopen", "GET", url("supervision:period_reopen", ITEM), screen(405)),
    Row(
        "supervision:period_reopen",
        "POST",
        url("supervision:period_reopen", ITEM),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"unit": s.approved.unit_id, "period": s.approved.period, "reason": "矩阵更正"},
    ),
    Row(
        "api:list_reporting_cycles",
        "GET",
        api_url("list_reporting_cycles", lambda w, s: w.cast.plan.pk),
        everyone(
            403,
            leader=200,
            supervisor=200,
            viewer=200,
            token_read=200,
            token_write=200,
            outsider=404,
            token_other=404,
        ),
    ),
    Row(
        "api:set_reporting_cycle",
        "PUT",
        lambda w, s: reverse("api:set_reporting_cycle", args=[w.cast.plan.pk, "all"]),
        api_write(403, supervisor=200, token_write=200, outsider=404, token_other=404),
        lambda w, s: {"cadence": "weekly", "closes_after_end": 2},
        json=True,
    ),
    Row(
        "api:reopen_period",
        "POST",
        api_url("reopen_period", ITEM),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"unit_id": s.approved.unit_id, "period": s.approved.period, "reason": "矩阵更正"},
        json=True,
    ),
    Row(
        "api:missing_reports",
        "GET",
        lambda w, s: reverse("api:missing_reports") + f"?plan={w.cast.plan.pk}",
        everyone(200, anonymous=403, citizen=403, outsider=404, token_other=404),
    ),
    # end issue 19 -----------------------------------------------------------------------------
    # Ledger, items ---------------------------------------------------------------------------
    Row("ledger:list", "GET", url("ledger:list"), screen(200)),
    Row("ledger:list", "GET", url("ledger:list", query="?format=xlsx"), screen(200), label="xlsx"),
    Row("ledger:tree", "GET", url("ledger:tree"), screen(200)),
    Row("plans:item_new", "GET", url("plans:item_new"), screen(403, supervisor=200)),
    Row(
        "plans:item_new",
        "POST",
        lambda w, s: reverse("plans:item_new") + f"?plan={w.cast.plan.pk}",
        screen(403, supervisor=REDIRECT),
        item_new_payload,
    ),
    Row("ledger:item", "GET", url("ledger:item", ITEM), screen(200, **ITEM_SCOPED)),
    Row("plans:item_edit", "GET", url("plans:item_edit", ITEM), screen(403, supervisor=200, **ITEM_SCOPED)),
    Row(
        "plans:item_edit",
        "POST",
        url("plans:item_edit", ITEM),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        item_edit_payload,
    ),
    # Supervision -----------------------------------------------------------------------------
    Row("supervision:dashboard", "GET", url("supervision:dashboard"), screen(200)),
    # issue 12: landing pages; 我的事项 is a unit reporter's, everyone else is sent to his or her own page
    Row(
        "supervision:my_work",
        "GET",
        url("supervision:my_work"),
        screen(REDIRECT, reporter_a_on_b=200, reporter_a_own=200),
    ),
    Row("supervision:leader", "GET", url("supervision:leader"), screen(200)),
    Row(
        "supervision:report_new",
        "GET",
        url("supervision:report_new", ITEM),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:report_new",
        "POST",
        url("supervision:report_new", ITEM),
        screen(403, reporter_a_own=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"period": "2023-10", "progress": "70", "text": "矩阵进展"},
    ),
    Row(
        "supervision:notice_new",
        "GET",
        url("supervision:notice_new", ITEM),
        screen(403, supervisor=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:notice_new",
        "POST",
        url("supervision:notice_new", ITEM),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"unit": s.item.lead_unit_id, "deadline": "2023-12-20", "content": "请报送整改"},
    ),
    Row("supervision:instruction_add", "GET", url("supervision:instruction_add", ITEM), screen(405)),
    Row(
        "supervision:instruction_add",
        "POST",
        url("supervision:instruction_add", ITEM),
        screen(403, leader=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"text": "抓紧推进"},
    ),
    Row(
        "supervision:report_resubmit",
        "GET",
        url("supervision:report_resubmit", RETURNED),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:report_resubmit",
        "POST",
        url("supervision:report_resubmit", RETURNED),
        screen(403, reporter_a_own=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"version": s.returned.version, "progress": "45", "text": "补充照片后重报"},
    ),
    Row("supervision:reviews", "GET", url("supervision:reviews"), screen(403, supervisor=200, outsider=200)),
    Row(
        "supervision:review",
        "GET",
        url("supervision:review", SUBMITTED),
        screen(403, supervisor=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:review",
        "POST",
        url("supervision:review", SUBMITTED),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"version": s.submitted.version, "decision": "approve", "comment": ""},
    ),
    Row(
        "supervision:evidence",
        "GET",
        url("supervision:evidence", lambda w, s: s.evidence.pk),
        screen(200, **ITEM_SCOPED),
    ),
    Row("supervision:notices", "GET", url("supervision:notices"), screen(200)),
    Row("supervision:notice", "GET", url("supervision:notice", NOTICE), screen(200, **ITEM_SCOPED)),
    Row(
        "supervision:notice",
        "POST",
        url("supervision:notice", NOTICE),
        screen(403, reporter_a_own=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"action": "acknowledge"},
        label="acknowledge",
    ),
    Row(
        "supervision:notice",
        "POST",
        url("supervision:notice", ANSWERED),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"action": "close"},
        label="close",
    ),
    # Indicators, reading ---------------------------------------------------------------------
    Row("indicators:list", "GET", url("indicators:list", query="?region=140427"), screen(200, outsider=403)),
    Row(
        "indicators:detail",
        "GET",
        url("indicators:detail", lambda w, s: w.indicator.pk, query="?region=140427"),
        screen(200, outsider=403),
    ),
    # Entering figures and targets: the region's supervision office only.
    Row(
        "indicators:observation_new",
        "GET",
        url("indicators:observation_new", query=IN_COUNTY),
        screen(403, supervisor=200),
    ),
    Row(
        "indicators:observation_new",
        "POST",
        url("indicators:observation_new", query=IN_COUNTY),
        screen(403, supervisor=REDIRECT),
        figure_form,
    ),
    Row(
        "indicators:observation_edit",
        "GET",
        url("indicators:observation_edit", OBSERVATION),
        screen(403, supervisor=200, outsider=404),
    ),
    Row(
        "indicators:observation_edit",
        "POST",
        url("indicators:observation_edit", OBSERVATION),
        screen(403, supervisor=REDIRECT, outsider=404),
        lambda w, s: figure_form(w, s, year="2023", value="101", version=str(w.observation.version)),
    ),
    Row(
        "indicators:observation_delete", "GET", url("indicators:observation_delete", OBSERVATION), screen(405)
    ),
    Row(
        "indicators:observation_delete",
        "POST",
        url("indicators:observation_delete", OBSERVATION),
        screen(403, supervisor=REDIRECT, outsider=404),
        lambda w, s: {"version": str(w.observation.version)},
    ),
    Row(
        "indicators:target_new",
        "GET",
        url("indicators:target_new", query=IN_COUNTY),
        screen(403, supervisor=200),
    ),
    Row(
        "indicators:target_new",
        "POST",
        url("indicators:target_new", query=IN_COUNTY),
        screen(403, supervisor=REDIRECT),
        lambda w, s: {"indicator": w.indicator.pk, "year": "2025", "value": "120", "qualifier": "at_least"},
    ),
    Row(
        "indicators:target_edit",
        "GET",
        url("indicators:target_edit", TARGET),
        screen(403, supervisor=200, outsider=404),
    ),
    Row(
        "indicators:target_edit",
        "POST",
        url("indicators:target_edit", TARGET),
        screen(403, supervisor=REDIRECT, outsider=404),
        lambda w, s: {
            "indicator": w.indicator.pk,
            "year": "2023",
            "value": "110",
            "qualifier": "at_least",
            "version": str(w.target.version),
        },
    ),
    Row("indicators:import", "GET", url("indicators:import", query=IN_COUNTY), screen(403, supervisor=200)),
    Row(
        "indicators:import",
        "POST",
        url("indicators:import", query=IN_COUNTY),
        screen(403, supervisor=200),
        figure_upload,
        changes=False,  # the preview writes nothing
    ),
    Row(
        "indicators:import_confirm",
        "POST",
        url("indicators:import_confirm", query=IN_COUNTY),
        screen(403, supervisor=REDIRECT),
        pending_figures,
    ),
    Row(
        "indicators:import_template",
        "GET",
        url("indicators:import_template", query=IN_COUNTY),
        screen(403, supervisor=200),
    ),
    Row("reading:documents", "GET", url("reading:documents"), screen(200)),
    Row(
        "reading:documents",
        "POST",
        url("reading:documents"),
        screen(403, supervisor=REDIRECT),
        lambda w, s: {
            "region": "140427",
            "year": "2023",
            "title": "矩阵读入",
            "kind": "work_report",
            "text": "粮食产量达到10万吨。",
        },
    ),
    Row(
        "reading:document",
        "GET",
        url("reading:document", lambda w, s: w.document.pk),
        screen(200, outsider=404),  # another county's document is not there for them
    ),
    Row(
        "reading:review",
        "GET",
        url("reading:review", lambda w, s: w.document.pk),
        screen(403, supervisor=200, outsider=404),
    ),
    Row("reading:decide", "GET", url("reading:decide", lambda w, s: w.draft.pk), screen(403, supervisor=200)),
    Row(
        "reading:decide",
        "POST",
        url("reading:decide", lambda w, s: w.draft.pk),
        screen(403, supervisor=REDIRECT),
        lambda w, s: {"action": "reject"},
    ),
    Row("reading:consistency", "GET", url("reading:consistency", COUNTY, YEAR), screen(200, outsider=403)),
    # Reports ---------------------------------------------------------------------------------
    Row("reports:index", "GET", url("reports:index"), screen(200)),
    Row(
        "reports:review_form",
        "GET",
        url("reports:review_form", query="?region=140427&year=2023"),
        screen(REDIRECT),
    ),
    Row("reports:review", "GET", url("reports:review", COUNTY, YEAR), screen(200, outsider=403)),
    Row(
        "reports:bulletin",
        "GET",
        url("reports:bulletin", query="?region=140427&date_from=2023-01-01&date_to=2023-12-31&format=docx"),
        screen(200, outsider=403),
    ),
    Row("reports:ledger", "GET", url("reports:ledger", COUNTY, YEAR), screen(200, outsider=403)),
    Row("reports:job", "GET", url("reports:job", lambda w, s: w.job.pk), screen(404, supervisor=200)),
    Row(
        "reports:job_download",
        "GET",
        url("reports:job_download", lambda w, s: w.job.pk),
        screen(404, supervisor=200),
    ),
    # Portal: the same for everyone ----------------------------------------------------------
    Row("portal:index", "GET", url("portal:index"), everyone(200)),
    Row("portal:region", "GET", url("portal:region", COUNTY), everyone(200)),
    Row("portal:livelihood", "GET", url("portal:livelihood", COUNTY), everyone(200)),
    # Side a's item is published, side b's is not: the portal is the same page for everyone.
    Row("portal:item", "GET", url("portal:item", lambda w, s: w.a.item.pk), everyone(200), label="published"),
    Row(
        "portal:item",
        "GET",
        url("portal:item", lambda w, s: w.b.item.pk),
        everyone(404),
        label="unpublished item",
    ),
    Row(
        "portal:evidence",
        "GET",
        url("portal:evidence", lambda w, s: w.a.evidence.token),
        everyone(200),
        label="public",
    ),
    Row(
        "portal:evidence",
        "GET",
        url("portal:evidence", lambda w, s: w.a.private_evidence.token),
        everyone(404),
        label="private",
    ),
    Row(
        "portal:evidence",
        "GET",
        url("portal:evidence", lambda w, s: w.b.evidence.token),
        everyone(404),
        label="unpublished item",
    ),
    # API: schema and docs --------------------------------------------------------------------
    Row("api:openapi-json", "GET", api_url("openapi-json"), everyone(200)),
    Row("api:openapi-view", "GET", api_url("openapi-view"), everyone(200)),
    Row("api:api-root", "GET", api_url("api-root"), everyone(404)),
    # API: lists answer everyone (anonymous callers read what the portal shows) ---------------
    *[
        Row(f"api:list_{name}", "GET", api_url(f"list_{name}"), everyone(200))
        for name in (
            "regions",
            "organisations",
            "plans",
            "plan_nodes",
            "items",
            "reports",
            "notices",
            "indicators",
            "observations",
            "targets",
            "honours",
            "documents",
            "citations",
        )
    ],
    # API: single records ---------------------------------------------------------------------
    Row("api:get_region", "GET", api_url("get_region", COUNTY), everyone(200, token_other=404)),
    Row(
        "api:get_organisation",
        "GET",
        api_url("get_organisation", lambda w, s: s.item.lead_unit_id),
        everyone(200, token_other=404),
    ),
    Row(
        "api:get_plan",
        "GET",
        api_url("get_plan", lambda w, s: w.cast.plan.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row(
        "api:get_plan_node",
        "GET",
        api_url("get_plan_node", lambda w, s: w.node.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row("api:get_item", "GET", api_url("get_item", ITEM), everyone(200, **API_ITEM_SCOPED)),
    Row("api:get_report", "GET", api_url("get_report", APPROVED), everyone(200, **API_ITEM_SCOPED)),
    Row(
        "api:get_notice",
        "GET",
        api_url("get_notice", NOTICE),
        everyone(200, anonymous=404, citizen=404, **API_ITEM_SCOPED),
    ),
    Row("api:get_indicator", "GET", api_url("get_indicator", lambda w, s: w.indicator.pk), everyone(200)),
    Row(
        "api:get_observation",
        "GET",
        api_url("get_observation", lambda w, s: w.observation.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row(
        "api:get_target",
        "GET",
        api_url("get_target", lambda w, s: w.target.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row(
        "api:get_honour",
        "GET",
        api_url("get_honour", lambda w, s: w.honour.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row(
        "api:get_document",
        "GET",
        api_url("get_document", lambda w, s: w.document.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    Row(
        "api:get_citation",
        "GET",
        api_url("get_citation", lambda w, s: w.citation.pk),
        everyone(200, **API_REGION_SCOPED),
    ),
    # API: writes -----------------------------------------------------------------------------
    Row(
        "api:create_item",
        "POST",
        api_url("create_item"),
        api_write(403, supervisor=201, token_write=201, outsider=400, token_other=400),
        lambda w, s: {"plan_id": w.cast.plan.pk, "title": "接口新增任务"},
        json=True,
    ),
    Row(
        "api:update_item",
        "PATCH",
        api_url("update_item", ITEM),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"expected_version": s.item.version, "title": "接口改名"},
        json=True,
    ),
    Row(
        "api:delete_item",
        "DELETE",
        api_url("delete_item", ITEM),
        api_write(403, supervisor=204, token_write=204, **API_ITEM_SCOPED),
    ),
    Row(
        "api:create_observation",
        "POST",
        api_url("create_observation"),
        api_write(403, supervisor=201, token_write=201),
        lambda w, s: {"indicator_id": w.indicator.pk, "region_code": "140427", "year": 2022, "value": 90},
        json=True,
    ),
    Row(
        "api:update_observation",
        "PATCH",
        api_url("update_observation", OBSERVATION),
        api_write(403, supervisor=200, token_write=200, **API_REGION_SCOPED),
        lambda w, s: {"expected_version": w.observation.version, "value": "101"},
        json=True,
    ),
    Row(
        "api:create_target",
        "POST",
        api_url("create_target"),
        api_write(403, supervisor=201, token_write=201),
        lambda w, s: {"indicator_id": w.indicator.pk, "region_code": "140427", "year": 2025, "value": 120},
        json=True,
    ),
    Row(
        "api:update_target",
        "PATCH",
        api_url("update_target", TARGET),
        api_write(403, supervisor=200, token_write=200, **API_REGION_SCOPED),
        lambda w, s: {"expected_version": w.target.version, "value": "110"},
        json=True,
    ),
    Row(
        "api:submit_report",
        "POST",
        api_url("submit_report"),
        api_write(403, reporter_a_own=201, reporter_a_on_b=400, outsider=400, token_other=400),
        lambda w, s: {"item_id": s.item.pk, "period": "2023-10", "text": "接口进展", "progress": 70},
        json=True,
    ),
    Row(
        "api:review_report",
        "POST",
        api_url("review_report", SUBMITTED),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"approve": True, "comment": "", "expected_version": s.submitted.version},
        json=True,
    ),
    Row(
        "api:resubmit_report",
        "POST",
        api_url("resubmit_report", RETURNED),
        api_write(403, reporter_a_own=200, **API_ITEM_SCOPED),
        lambda w, s: {"text": "补充后重报", "progress": 45, "expected_version": s.returned.version},
        json=True,
    ),
    Row(
        "api:issue_notice",
        "POST",
        api_url("issue_notice"),
        api_write(403, supervisor=201, token_write=201, reporter_a_on_b=400, outsider=400, token_other=400),
        lambda w, s: {
            "item_id": s.item.pk,
            "unit_id": s.item.lead_unit_id,
            "content": "请报送",
            "deadline": "2023-12-20",
        },
        json=True,
    ),
    Row(
        "api:acknowledge_notice",
        "POST",
        api_url("acknowledge_notice", NOTICE),
        api_write(403, reporter_a_own=200, **API_ITEM_SCOPED),
        lambda w, s: {},
        json=True,
    ),
    Row(
        "api:answer_notice",
        "POST",
        api_url("answer_notice", NOTICE),
        api_write(403, reporter_a_own=200, **API_ITEM_SCOPED),
        lambda w, s: {"answer": "已按要求办理"},
        json=True,
    ),
    Row(
        "api:close_notice",
        "POST",
        api_url("close_notice", ANSWERED),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {},
        json=True,
    ),
    # issue 13: the supervision procedure (延期申请). The side's unit already has an application
    # waiting, so the one unit allowed to apply gets its form (or a 400 naming `state`) back.
    Row(
        "supervision:extension_apply",
        "GET",
        url("supervision:extension_apply", ITEM),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:extension_apply",
        "POST",
        url("supervision:extension_apply", ITEM),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
        lambda w, s: {"requested_due_date": "2099-09-30", "reason": "矩阵延期"},
        changes=False,
        label="while one is pending",
    ),
    Row("supervision:extension_decide", "GET", url("supervision:extension_decide", EXTENSION), screen(405)),
    Row(
        "supervision:extension_decide",
        "POST",
        url("supervision:extension_decide", EXTENSION),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {
            f"e{s.extension.pk}-version": s.extension.version,
            f"e{s.extension.pk}-decision": "approve",
        },
    ),
    Row("supervision:procedure_queue", "GET", url("supervision:procedure_queue"), screen(200)),
    # 办结 / 销号: only the lead unit applies (its side's application is already waiting, so the POST
    # gets the form back naming `state`); the office decides and reopens (the item is open, so a
    # reopen changes nothing and says why).
    Row(
        "supervision:closure_apply",
        "GET",
        url("supervision:closure_apply", ITEM),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:closure_apply",
        "POST",
        url("supervision:closure_apply", ITEM),
        screen(403, reporter_a_own=200, **ITEM_SCOPED),
        lambda w, s: {"summary": "矩阵办结"},
        changes=False,
        label="while one is waiting",
    ),
    Row("supervision:closure_decide", "GET", url("supervision:closure_decide", CLOSURE), screen(405)),
    Row(
        "supervision:closure_decide",
        "POST",
        url("supervision:closure_decide", CLOSURE),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {f"c{s.closure.pk}-version": s.closure.version, f"c{s.closure.pk}-decision": "approve"},
    ),
    # 问题协调: a unit of the item raises; the office (or the lead leader, for one addressed to him or
    # her) answers. The side's blocker is addressed to the office.
    Row("supervision:blocker_raise", "GET", url("supervision:blocker_raise", ITEM), screen(405)),
    Row(
        "supervision:blocker_raise",
        "POST",
        url("supervision:blocker_raise", ITEM),
        screen(403, reporter_a_own=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"addressed_to": "office", "text": "矩阵协调"},
    ),
    Row("supervision:blocker_answer", "GET", url("supervision:blocker_answer", BLOCKER), screen(405)),
    Row(
        "supervision:blocker_answer",
        "POST",
        url("supervision:blocker_answer", BLOCKER),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {f"b{s.blocker.pk}-version": s.blocker.version, f"b{s.blocker.pk}-answer": "矩阵答复"},
    ),
    Row("supervision:item_reopen", "GET", url("supervision:item_reopen", ITEM), screen(405)),
    Row(
        "supervision:item_reopen",
        "POST",
        url("supervision:item_reopen", ITEM),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"version": s.item.version, "reason": "矩阵重开"},
        changes=False,
        label="of an open item",
    ),
    # 单位审签: the head of the reporting unit decides; nobody outside the unit sees the report yet.
    Row(
        "supervision:report_head_review",
        "GET",
        url("supervision:report_head_review", WITH_HEAD),
        screen(405),
    ),
    Row(
        "supervision:report_head_review",
        "POST",
        url("supervision:report_head_review", WITH_HEAD),
        screen(404, reporter_a_own=403, unit_head=REDIRECT),
        lambda w, s: {
            f"h{s.with_head.pk}-version": s.with_head.version,
            f"h{s.with_head.pk}-decision": "approve",
        },
    ),
    # 批示 → a new item: the office of the region, from an instruction it reads.
    Row(
        "supervision:instruction_to_item",
        "GET",
        url("supervision:instruction_to_item", INSTRUCTION),
        screen(403, supervisor=200, **ITEM_SCOPED),
    ),
    Row(
        "supervision:instruction_to_item",
        "POST",
        url("supervision:instruction_to_item", INSTRUCTION),
        screen(403, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"plan": w.cast.plan.pk, "title": "矩阵批示立项"},
    ),
    Row(
        "api:head_review_report",
        "POST",
        api_url("head_review_report", WITH_HEAD),
        api_write(404, reporter_a_own=403, unit_head=200),
        lambda w, s: {"approve": True, "expected_version": s.with_head.version},
        json=True,
    ),
    Row("api:list_instructions", "GET", api_url("list_instructions"), everyone(200)),
    Row(
        "api:get_instruction",
        "GET",
        api_url("get_instruction", INSTRUCTION),
        everyone(200, anonymous=404, citizen=404, **API_ITEM_SCOPED),
    ),
    Row(
        "api:add_instruction",
        "POST",
        api_url("add_instruction"),
        api_write(403, leader=201, reporter_a_on_b=400, outsider=400, token_other=400),
        lambda w, s: {"item_id": s.item.pk, "text": "矩阵批示"},
        json=True,
    ),
    Row(
        "api:make_item_from_instruction",
        "POST",
        api_url("make_item_from_instruction", INSTRUCTION),
        api_write(403, supervisor=201, token_write=201, **API_ITEM_SCOPED),
        lambda w, s: {"plan_id": w.cast.plan.pk},
        json=True,
    ),
    # issue 17: a unit's (or a leader's) own message channels; the office uses the Django admin.
    Row(
        "notify:channels",
        "GET",
        url("notify:channels"),
        screen(403, reporter_a_own=200, reporter_a_on_b=200, leader=200),
    ),
    Row(
        "notify:channels",
        "POST",
        url("notify:channels"),
        screen(403, reporter_a_own=REDIRECT, reporter_a_on_b=REDIRECT, leader=REDIRECT),
        lambda w, s: {
            "new-name": "矩阵邮箱",
            "new-platform": "email",
            "new-email_to": "m@example.gov.cn",
            "new-events": ["overdue"],
            "new-active": "on",
        },
    ),
    Row(
        "notify:channel_edit",
        "GET",
        url("notify:channel_edit", CHANNEL),
        screen(403, reporter_a_own=200, reporter_a_on_b=404, leader=404),
    ),
    Row(
        "notify:channel_edit",
        "POST",
        url("notify:channel_edit", CHANNEL),
        screen(403, reporter_a_own=REDIRECT, reporter_a_on_b=404, leader=404),
        lambda w, s: {"name": "改名的群", "platform": "wecom", "events": ["notice"], "active": "on"},
    ),
    Row("api:list_extensions", "GET", api_url("list_extensions"), everyone(200)),
    Row(
        "api:get_extension",
        "GET",
        api_url("get_extension", EXTENSION),
        everyone(200, anonymous=404, citizen=404, **API_ITEM_SCOPED),
    ),
    Row(
        "api:apply_for_extension",
        "POST",
        api_url("apply_for_extension"),
        api_write(403, reporter_a_own=400, reporter_a_on_b=400, outsider=400, token_other=400),
        lambda w, s: {"item_id": s.item.pk, "requested_due_date": "2099-09-30", "reason": "矩阵延期"},
        json=True,
    ),
    Row(
        "api:decide_extension",
        "POST",
        api_url("decide_extension", EXTENSION),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"approve": True, "expected_version": s.extension.version},
        json=True,
    ),
    Row("api:list_closures", "GET", api_url("list_closures"), everyone(200)),
    Row(
        "api:get_closure",
        "GET",
        api_url("get_closure", CLOSURE),
        everyone(200, anonymous=404, citizen=404, **API_ITEM_SCOPED),
    ),
    Row(
        "api:apply_for_closure",
        "POST",
        api_url("apply_for_closure"),
        api_write(403, reporter_a_own=400, reporter_a_on_b=400, outsider=400, token_other=400),
        lambda w, s: {"item_id": s.item.pk, "summary": "矩阵办结"},
        json=True,
    ),
    Row(
        "api:decide_closure",
        "POST",
        api_url("decide_closure", CLOSURE),
        api_write(403, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"approve": True, "expected_version": s.closure.version},
        json=True,
    ),
    Row(
        "api:reopen_item",
        "POST",
        api_url("reopen_item", ITEM),
        api_write(403, supervisor=400, token_write=400, **API_ITEM_SCOPED),
        lambda w, s: {"reason": "矩阵重开", "expected_version": s.item.version},
        json=True,
        label="of an open item",
    ),
    Row("supervision:signoff_sign", "GET", url("supervision:signoff_sign", SIGNOFF), screen(405)),
    Row(
        "supervision:signoff_sign",
        "POST",
        url("supervision:signoff_sign", SIGNOFF),
        screen(403, reporter_a_own=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {"version": s.signoff.version},
    ),
    Row("api:list_signoffs", "GET", api_url("list_signoffs"), everyone(200)),
    Row(
        "api:sign_assignment",
        "POST",
        api_url("sign_assignment", SIGNOFF),
        api_write(403, reporter_a_own=200, **API_ITEM_SCOPED),
        lambda w, s: {"expected_version": s.signoff.version},
        json=True,
    ),
    # issue 14 ------------------------------------------------------------------------------
    Row(
        "supervision:evidence_public",
        "POST",
        url("supervision:evidence_public", lambda w, s: s.evidence.pk),
        screen(403, reporter_a_own=REDIRECT, supervisor=REDIRECT, **ITEM_SCOPED),
        lambda w, s: {},
    ),
    Row(
        "api:set_evidence_public",
        "POST",
        api_url("set_evidence_public", lambda w, s: s.evidence.pk),
        api_write(403, reporter_a_own=200, supervisor=200, token_write=200, **API_ITEM_SCOPED),
        lambda w, s: {"public": False},
        json=True,
    ),
]

# Routes the matrix leaves out, and why.
EXCLUDED_NAMESPACES = {"admin"}  # Django's admin: its own staff permission system
EXCLUDED_NAMES = {
    # Django's language switch: a CSRF-protected POST that only sets a cookie; no data behind it.
    "set_language",
}

CELLS = [pytest.param(row, role, id=f"{row.id} | {role}") for row in TABLE for role in ROLES]


@pytest.fixture
def world(shared_world, db, settings) -> World:  # noqa: F811 (the imported fixture, requested first)
    """The module's world; each cell runs in a savepoint rolled back after it (pytest-django's `db`)."""
    settings.MEDIA_ROOT = shared_world[1]
    return shared_world[0]


def _matches(expected: Expect, response: Any) -> bool:
    login_url = reverse(settings.LOGIN_URL)
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(login_url)
    if expected == REDIRECT:
        return response.status_code in (301, 302, 303) and not response["Location"].startswith(login_url)
    return response.status_code == expected


def _allowed(expected: Expect) -> bool:
    return expected == REDIRECT or (isinstance(expected, int) and 200 <= expected < 300)


def _send(client: Any, row: Row, world: World, side: Side) -> Any:
    target = row.url(world, side)
    payload = row.payload(world, side) if row.payload else None
    if row.method == "GET":
        return client.get(target)
    if row.json:
        body = json.dumps(payload) if payload is not None else ""
        return client.generic(row.method, target, body, content_type="application/json")
    if row.method == "POST":
        return client.post(target, payload or {})
    return client.generic(row.method, target)


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_it_gives_each_role_what_the_table_says(world, row: Row, role: str):
    client = client_for(world, role)
    side = world.side_of(role)
    before = database_fingerprint() if row.method != "GET" else None
    response = _send(client, row, world, side)
    expected = row.expected[role]
    location = response.get("Location", "")
    assert _matches(expected, response), (
        f"{row.id} as {role}: expected {expected}, got {response.status_code} {location}".strip()
    )
    if before is None:
        return
    changed = fingerprint_difference(before, database_fingerprint())
    if _allowed(expected) and row.changes:
        assert changed, f"{row.id} as {role} was allowed but changed nothing"
    elif not _allowed(expected):
        assert changed == [], f"{row.id} as {role} was refused but changed {changed}"


def test_it_gives_every_row_an_expectation_for_every_role():
    for row in TABLE:
        assert set(row.expected) == set(ROLES), row.id


def _walk(patterns: list, namespace: str = "") -> list[tuple[str, str, URLPattern]]:
    """(namespace, full name, pattern) of every route under `patterns`."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.extend(_walk(pattern.url_patterns, inner))
        else:
            found.append((namespace.rstrip(":"), f"{namespace}{pattern.name or ''}", pattern))
    return found


def test_it_covers_every_route_of_the_site():
    """A new URL pattern without a row in TABLE fails here, so nothing slips in untested."""
    covered = {row.name for row in TABLE}
    routes = _walk(get_resolver().url_patterns)
    missing = []
    for namespace, name, pattern in routes:
        if namespace.split(":")[0] in EXCLUDED_NAMESPACES or name in EXCLUDED_NAMES:
            continue
        if name.endswith(":") or not name:
            missing.append(f"unnamed route {pattern.pattern}")
        elif name not in covered:
            missing.append(name)
    assert missing == [], f"routes without a row in the permission matrix: {missing}"
    stale = covered - {name for _ns, name, _p in routes}
    assert stale == set(), f"rows for routes that no longer exist: {stale}"


def test_it_covers_every_api_operation_and_method():
    """Every (method, path) the API declares has a row with that method on that path."""
    from countyworks.api.api import api

    table = {(row.method, row.name) for row in TABLE if row.name.startswith("api:")}
    missing = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                name = f"api:{getattr(operation, 'url_name', '') or operation.view_func.__name__}"
                for method in operation.methods:
                    if (method, name) not in table:
                        missing.append(f"{method} {prefix}{path} ({name})")
    assert missing == [], f"API operations without a row in the permission matrix: {missing}"


def test_it_sends_screens_callers_with_a_bearer_token_to_the_login_page(world):
    """A token is for programs: it never opens a screen, even the supervisor's write token."""
    client = client_for(world, "token_write")
    response = client.get(reverse("ledger:list"))
    assert response.status_code == 302
    assert resolve_path(response["Location"].split("?")[0]).url_name == "login"


def _listed(world: World, role: str, endpoint: str) -> list[dict[str, Any]]:
    response = client_for(world, role).get(reverse(f"api:list_{endpoint}") + "?limit=100")
    assert response.status_code == 200, (role, endpoint)
    return response.json()["results"]


COUNTY_LISTS = ("plans", "plan_nodes", "items", "reports", "notices", "observations", "targets", "honours")


@pytest.mark.parametrize("role", ["token_other", "outsider"])
def test_it_lists_nothing_of_the_county_to_another_county(world, role):
    """Status 200 on a list is not enough: another county's callers must get none of this county's rows."""
    ids = {
        "plans": {world.cast.plan.pk},
        "plan_nodes": {world.node.pk},
        "items": {world.a.item.pk, world.b.item.pk},
        "reports": {
            r.pk for side in (world.a, world.b) for r in (side.submitted, side.returned, side.approved)
        },
        "notices": {n.pk for side in (world.a, world.b) for n in (side.notice, side.answered_notice)},
        "observations": {world.observation.pk},
        "targets": {world.target.pk},
        "honours": {world.honour.pk},
    }
    for endpoint in COUNTY_LISTS:
        listed = {row["id"] for row in _listed(world, role, endpoint)}
        assert listed & ids[endpoint] == set(), f"{role} sees the county's {endpoint}"


def test_it_lists_to_anonymous_callers_only_what_the_portal_shows(world):
    items = {row["id"] for row in _listed(world, "anonymous", "items")}
    assert items == {world.a.item.pk}  # item B is not published
    reports = _listed(world, "anonymous", "reports")
    assert {row["id"] for row in reports} == {world.a.approved.pk}
    assert [e["id"] for e in reports[0]["evidence"]] == [world.a.evidence.pk]  # not the private photo
    assert reports[0]["review_comment"] in (None, "")
    assert _listed(world, "anonymous", "notices") == []


def test_it_lists_to_reporter_a_only_unit_a_items_and_their_reports(world):
    items = {row["id"] for row in _listed(world, "reporter_a_own", "items")}
    assert items == {world.a.item.pk}
    reports = {row["item_id"] for row in _listed(world, "reporter_a_own", "reports")}
    assert reports == {world.a.item.pk}
    notices = {row["id"] for row in _listed(world, "reporter_a_own", "notices")}
    assert notices == {world.a.notice.pk, world.a.answered_notice.pk}


def test_it_narrows_a_token_to_its_region_even_for_a_superuser(world):
    """A token of another county held by a superuser still reads nothing of this county."""
    from countyworks.accounts.models import ApiToken, TokenScope

    boss = world.cast.admin
    boss.is_superuser = True
    boss.save()
    _t, key = ApiToken.issue(boss, "narrow", world.cast.other_county, TokenScope.READ)
    client = client_for(world, "anonymous")
    response = client.get(reverse("api:list_items") + "?limit=100", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert (
        client.get(
            reverse("api:get_item", args=[world.a.item.pk]), HTTP_AUTHORIZATION=f"Bearer {key}"
        ).status_code
        == 404
    )


def _allowed_session_role(row: Row) -> str | None:
    return next((role for role in SESSION_ROLES if _allowed(row.expected[role])), None)


CSRF_ROWS = [
    pytest.param(row, id=row.id)
    for row in TABLE
    if row.method != "GET" and row.changes and _allowed_session_role(row) is not None
]


@pytest.mark.parametrize("row", CSRF_ROWS)
def test_it_refuses_every_write_without_the_csrf_token_and_changes_nothing(world, row: Row):
    """The role the table allows, logged in, but posting from a page that carries no CSRF token."""
    role = _allowed_session_role(row)
    client = client_for(world, role)
    client.handler.enforce_csrf_checks = True
    before = database_fingerprint()
    response = _send(client, row, world, world.side_of(role))
    assert response.status_code == 403, f"{row.id} as {role} without a CSRF token: {response.status_code}"
    assert fingerprint_difference(before, database_fingerprint()) == []
