"""One truth: every surface gives the same status, light, overdue flag and progress, on two days.

A generated plan — items of every kind, some outside the goal tree, an empty node, some past due,
approved and returned reports, thresholds changed by the administrator — is read through the
dashboard, the ledger, every item page, the plan tree, the rankings, the Excel export, the ledger
workbook, the year-end review, the bulletin, the portal and the API. What each shows is compared
with the rule itself (`rules.assess` on each item's facts, `rollup.roll_up_tree` over the tree),
computed here independently of any screen.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from countyworks.plans.models import ItemKind, ItemStatus, Light, NodeKind, PlanNode, WorkItem
from countyworks.plans.rollup import UNFILED, ItemInput, NodeInput, roll_up_tree
from countyworks.reports.builders.bulletin import build_bulletin
from countyworks.reports.builders.review import build_review
from countyworks.reports.builders.words import chinese_labels
from countyworks.supervision import rules, services
from countyworks.supervision.models import SupervisionSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYS = [date(2023, 6, 30), date(2023, 11, 15)]
# What the administrator's 督查设置 row says (the settings say 10 / 30 / 7).
THRESHOLDS = rules.Thresholds(yellow_behind_points=5, red_behind_points=30, due_soon_days=14)

# (kind, node, start, due, progress, status, published): one line per item, every kind and case.
ITEMS = [
    (ItemKind.KEY_PROJECT, "d1", None, date(2023, 12, 31), "45", ItemStatus.IN_PROGRESS, True),
    (ItemKind.KEY_PROJECT, "d1", date(2023, 3, 1), date(2023, 9, 30), "80", ItemStatus.IN_PROGRESS, True),
    (ItemKind.LIVELIHOOD, "d1", None, date(2023, 7, 10), "90", ItemStatus.IN_PROGRESS, True),
    (ItemKind.LIVELIHOOD, "d2", None, date(2023, 6, 30), "100", ItemStatus.COMPLETED, True),
    (ItemKind.RECTIFICATION, "d2", None, date(2023, 5, 31), "60", ItemStatus.IN_PROGRESS, False),
    (ItemKind.RECTIFICATION, "d2", None, None, "0", ItemStatus.NOT_STARTED, False),
    (ItemKind.RESEARCH, None, None, date(2023, 11, 20), "70", ItemStatus.IN_PROGRESS, False),
    (ItemKind.RESEARCH, None, None, date(2023, 12, 31), "0", ItemStatus.NOT_STARTED, False),
    (ItemKind.CAMPAIGN, "goal", date(2023, 2, 1), date(2023, 12, 31), "20", ItemStatus.SUSPENDED, False),
    (ItemKind.CAMPAIGN, None, None, date(2023, 8, 31), "10", ItemStatus.CANCELLED, False),
    (ItemKind.ROUTINE, "d1", None, date(2023, 12, 31), "52", ItemStatus.IN_PROGRESS, False),
    (ItemKind.ROUTINE, None, None, None, "100", ItemStatus.COMPLETED, False),
]


@pytest.fixture
def plan_world(cast):
    """The cast's plan, rebuilt with a goal tree (one node left empty) and the items above."""
    WorkItem.objects.all().delete()
    SupervisionSettings.objects.create(yellow_behind_points=5, due_soon_days=14)
    plan = cast.plan
    goal = PlanNode.objects.create(plan=plan, kind=NodeKind.GOAL, title="建设示范县", order=0)
    nodes = {
        "goal": goal,
        "d1": PlanNode.objects.create(plan=plan, parent=goal, title="方向一", weight=Decimal("2"), order=1),
        "d2": PlanNode.objects.create(plan=plan, parent=goal, title="方向二", order=2),
        "empty": PlanNode.objects.create(plan=plan, parent=goal, title="方向三（尚无事项）", order=3),
    }
    items = []
    for n, (kind, node, start, due, progress, state, published) in enumerate(ITEMS):
        items.append(
            WorkItem.objects.create(
                plan=plan,
                kind=kind,
                number=str(n + 1),
                title=f"事项{n + 1:02d}",
                node=nodes.get(node),
                start_date=start,
                due_date=due,
                progress=Decimal(progress),
                status=state,
                lead_unit=cast.unit_a if n % 2 == 0 else cast.unit_b,
                published=published,
            )
        )
    # Reports: one approved (the item takes its progress), one returned (the item keeps its own).
    approved = services.submit_report(
        cast.reporter_a, items[0], period="2023-05", text="完成主体", progress="50"
    )
    services.review_report(cast.supervisor, approved, approve=True, expected_version=approved.version)
    returned = services.submit_report(
        cast.reporter_b, items[1], period="2023-05", text="缺佐证", progress="95"
    )
    services.review_report(
        cast.supervisor, returned, approve=False, comment="请补充照片", expected_version=returned.version
    )
    return cast, plan, nodes


def truth(plan, day):
    """What the rule says of each item and node on `day`, from the facts alone."""
    items = list(WorkItem.objects.filter(plan=plan).order_by("id"))
    assessed = {
        item.pk: rules.assess(
            rules.ItemFacts(item.start_date, item.due_date, item.progress, item.status, plan.year),
            day,
            THRESHOLDS,
        )
        for item in items
    }
    rolled = roll_up_tree(
        [NodeInput(n.pk, n.parent_id, n.weight) for n in PlanNode.objects.filter(plan=plan)],
        [ItemInput(i.node_id, i.weight, i.progress) for i in items if i.status != ItemStatus.CANCELLED],
    )
    return items, assessed, rolled


def attrs(html: str, tag_pattern: str) -> list[dict[str, str]]:
    """The data-* attributes of every tag matching `tag_pattern` (a regex for the tag's name and start)."""
    found = []
    for tag in re.findall(rf"<{tag_pattern}[^>]*>", html):
        found.append(dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag)))
    return found


def by_item(rows: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    return {int(row.pop("item")): row for row in rows if "item" in row}


def flag(value: bool) -> str:
    return "1" if value else "0"


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_surface_gives_the_rules_status_light_overdue_and_progress(plan_world, client, day):
    cast, plan, nodes = plan_world
    words = {"status": chinese_labels(ItemStatus), "light": chinese_labels(Light)}
    with time_machine.travel(
        datetime.combine(day, datetime.min.time(), SHANGHAI).replace(hour=10), tick=True
    ):
        items, assessed, rolled = truth(plan, day)
        expected = {
            i.pk: {
                "light": assessed[i.pk].light,
                "overdue": flag(assessed[i.pk].overdue),
                "progress": i.progress,
                "status": i.status,
            }
            for i in items
        }
        light_counts = Counter(a.light for a in assessed.values())
        status_counts = Counter(i.status for i in items)
        overdue_count = sum(a.overdue for a in assessed.values())
        unit_of = {i.pk: i.lead_unit_id for i in items}
        assert light_counts["red"] and light_counts["done"] and overdue_count  # the plan tests something
        client.force_login(cast.supervisor)

        # The ledger (one page holds every item).
        ledger = by_item(attrs(client.get(reverse("ledger:list")).content.decode(), "tr"))
        assert {
            pk: {**row, "progress": Decimal(row["progress"])} for pk, row in ledger.items() if pk in expected
        } == expected

        # Every item page.
        for item in items:
            page = client.get(reverse("ledger:item", args=[item.pk])).content.decode()
            card = by_item(attrs(page, r'div class="summary card"'))[item.pk]
            assert (card["light"], card["overdue"], Decimal(card["progress"]), card["status"]) == tuple(
                expected[item.pk].values()
            )

        # The plan tree: every node's progress and every item's light.
        tree = client.get(reverse("ledger:tree"), {"plan": plan.pk}).content.decode()
        node_rows = {row["node"]: row for row in attrs(tree, "(?:li|p)") if "node" in row}
        for key, node in [("plan", None), (UNFILED, UNFILED), *((str(n.pk), n.pk) for n in nodes.values())]:
            shown = node_rows[key]["progress"]
            assert (Decimal(shown) if shown else None) == rolled[node].progress, key
        assert node_rows[str(nodes["empty"].pk)]["progress"] == ""  # empty, not 0 %
        tree_items = by_item(attrs(tree, "li"))
        assert {pk: (r["light"], r["overdue"]) for pk, r in tree_items.items()} == {
            pk: (e["light"], e["overdue"]) for pk, e in expected.items()
        }

        # The dashboard: counts by light and status, overdue, the plan's progress, the ranking.
        dashboard = client.get(reverse("supervision:dashboard"), {"plan": plan.pk}).content.decode()
        counts = dict(re.findall(r'<span data-light="(\w+)">(\d+)</span>', dashboard))
        assert {k: int(v) for k, v in counts.items() if int(v)} == dict(light_counts)
        totals = dict(re.findall(r'data-status-total="(\w+)">(\d+)<', dashboard))
        assert {k: int(v) for k, v in totals.items() if int(v)} == dict(status_counts)
        assert re.search(r"data-overdue-count>(\d+)<", dashboard)[1] == str(overdue_count)
        assert (
            f"{rolled[None].progress.normalize():f}%" in dashboard
            or f"{rolled[None].progress:.1f}%" in dashboard
        )
        ranked = attrs(dashboard, "tr data-unit")
        counted = [i for i in items if i.status != ItemStatus.CANCELLED]
        for row in ranked:
            unit = int(row["unit"])
            mine = [i.pk for i in counted if unit_of[i.pk] == unit]
            assert int(row["red"]) == sum(assessed[pk].light == "red" for pk in mine)
            assert int(row["overdue"]) == sum(assessed[pk].overdue for pk in mine)

        # The ledger's Excel export: the status cell names the status, the light and 逾期.
        export = load_workbook(
            io.BytesIO(client.get(reverse("ledger:list"), {"format": "xlsx"}).content)
        ).active
        title_of = {i.title: i.pk for i in items}
        for row in export.iter_rows(min_row=3, values_only=True):
            pk = title_of[row[1].split("\n")[0]]
            notes = [words["light"][assessed[pk].light]] if assessed[pk].light != "none" else []
            notes += ["逾期"] if assessed[pk].overdue else []
            status_word = words["status"][expected[pk]["status"]]
            assert row[7] == (f"{status_word}（{'，'.join(notes)}）" if notes else status_word)
            assert Decimal(str(row[6])) * 100 == pytest.approx(expected[pk]["progress"])

        # The ledger workbook report: status, light and overdue columns in the catalogue's words.
        book = load_workbook(
            io.BytesIO(client.get(reverse("reports:ledger", args=[plan.region.code, 2023])).content)
        )
        seen = 0
        for sheet in book.sheetnames[1:]:
            for row in book[sheet].iter_rows(min_row=2, values_only=True):
                pk = title_of[row[1]]
                assert row[-3:] == (
                    words["status"][expected[pk]["status"]],
                    words["light"][assessed[pk].light],
                    "是" if assessed[pk].overdue else "否",
                )
                seen += 1
        assert seen == len(items)

        # The bulletin: counts by status and light, overdue per unit, and the ranking.
        bulletin = {
            s.key: s
            for s in build_bulletin(
                plan.region, date(2023, 1, 1), date(2023, 12, 31), cast.supervisor
            ).sections
        }
        status_table, light_table = (dict(t.rows) for t in bulletin["overall"].tables)
        assert {k: int(v) for k, v in status_table.items() if int(v)} == {
            words["status"][k]: v for k, v in status_counts.items()
        }
        assert {k: int(v) for k, v in light_table.items() if int(v)} == {
            words["light"][k]: v for k, v in light_counts.items()
        }
        overdue_rows = {row[0]: int(row[1]) for row in bulletin["overdue"].tables[0].rows}
        assert sum(overdue_rows.values()) == overdue_count
        name = {cast.unit_a.pk: cast.unit_a.name, cast.unit_b.pk: cast.unit_b.name}
        for row in bulletin["ranking"].tables[0].rows:
            unit = next(pk for pk, n in name.items() if n == row[1])
            mine = [i.pk for i in counted if unit_of[i.pk] == unit]
            assert (int(row[4]), int(row[5])) == (
                sum(assessed[pk].light == "red" for pk in mine),
                sum(assessed[pk].overdue for pk in mine),
            )

        # The year-end review counts the items done as the ledger does.
        lead = build_review(plan.region, 2023, user=cast.supervisor).lead[0].text
        assert f"已完成{status_counts[ItemStatus.COMPLETED]}项" in lead

        # The API.
        answer = client.get("/api/v1/items", {"plan": plan.pk, "limit": 100}).json()["results"]
        assert {
            r["id"]: {
                "light": r["light"],
                "overdue": flag(r["is_overdue"]),
                "progress": Decimal(r["progress"]),
                "status": r["status"],
            }
            for r in answer
        } == expected

        # The portal shows the published items with the same progress and status.
        client.logout()
        portal = by_item(
            attrs(client.get(reverse("portal:region", args=[plan.region.code])).content.decode(), "li")
        )
        published = {
            i.pk for i in items if i.published and i.kind in (ItemKind.LIVELIHOOD, ItemKind.KEY_PROJECT)
        }
        assert set(portal) == published
        for pk, row in portal.items():
            assert (Decimal(row["progress"]), row["status"]) == (
                expected[pk]["progress"],
                expected[pk]["status"],
            )
