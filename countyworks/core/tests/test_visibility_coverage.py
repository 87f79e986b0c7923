"""Every queryset that reaches a response starts from the policy.

The modules that answer requests (views, API routers and their auth, portal pages, report builders,
forms) must read work items, reports, notices, figures, honours and documents through
`accounts.policy.visible_*`. This test reads their source and lists every direct use of such a
model's manager. Each use must be listed below with the reason it cannot leak (it narrows a set the
policy already gave, or reads a record already found readable, or serves a write's check). A new
direct use — or one more in a module — fails the test until someone reviews it and adds it here.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
PROTECTED = {
    "Plan",
    "PlanNode",
    "WorkItem",
    "ProgressReport",
    "Evidence",
    "Notice",
    "Instruction",
    "Observation",
    "Target",
    "Honour",
    "Document",
    "Citation",
}
MANAGERS = {"objects", "all_objects", "history"}
RESPONSE_MODULES = [
    *PACKAGE.glob("*/views.py"),
    *PACKAGE.glob("*/ledger_views.py"),
    *PACKAGE.glob("*/import_views.py"),
    *PACKAGE.glob("*/forms.py"),
    *PACKAGE.glob("api/routers/*.py"),
    PACKAGE / "api" / "auth.py",
    PACKAGE / "plans" / "queries.py",
    PACKAGE / "portal" / "pages.py",
    PACKAGE / "portal" / "public.py",
    *PACKAGE.glob("reports/builders/*.py"),
    PACKAGE / "supervision" / "rankings.py",
    PACKAGE / "supervision" / "ledger_export.py",
    PACKAGE / "supervision" / "my_work.py",  # issue 12
    PACKAGE / "supervision" / "landing_views.py",  # issue 12
]

# (module, model): (number of uses, why each cannot show what the policy would not).
REVIEWED = {
    ("plans/queries.py", "PlanNode"): (1, "the nodes of a plan chosen from the user's visible items"),
    ("plans/queries.py", "Plan"): (1, "plans of the user's visible items (pk__in)"),
    ("plans/views.py", "WorkItem"): (1, "re-reads an item found through readable_item, after a conflict"),
    ("plans/import_views.py", "Plan"): (2, "none(), then the plans policy.manageable_plans gave"),
    ("plans/forms.py", "PlanNode"): (1, "the nodes of the plan being edited by its manager"),
    ("plans/forms.py", "Plan"): (1, "none(): the choices are set from manageable plans"),
    ("supervision/forms.py", "Plan"): (2, "none(), then the plans of the user's visible items"),
    ("supervision/forms.py", "PlanNode"): (2, "none(), then the nodes of those plans"),
    ("supervision/views.py", "WorkItem"): (
        4,
        "a cache fingerprint (no rows shown); the whole plan when policy.reads_whole_plan; pk__in of the "
        "visible items; the item of a report found through visible_reports",
    ),
    ("supervision/views.py", "ProgressReport"): (1, "a count over the dashboard's visible items"),
    ("supervision/views.py", "Evidence"): (2, "evidence of reports from visible_reports"),
    ("supervision/ledger_views.py", "PlanNode"): (1, "descendants of a node chosen in the ledger's filter"),
    ("supervision/ledger_views.py", "WorkItem"): (1, "the history of an item found through readable_item"),
    ("indicators/views.py", "Observation"): (1, "the version of a figure found through visible_observations"),
    ("indicators/views.py", "Target"): (1, "the version of a target found through visible_targets"),
    ("reports/views.py", "Plan"): (1, "none() for a user who reads no plans"),
    ("api/auth.py", "PlanNode"): (1, "nodes of the actor's plans"),
    ("api/auth.py", "Citation"): (1, "citations of the actor's documents"),
    ("api/routers/plans.py", "PlanNode"): (1, "a write's node id, checked against the item's plan"),
    ("reports/builders/bulletin.py", "WorkItem"): (1, "the region's items, narrowed to visible_items(user)"),
    ("reports/builders/bulletin.py", "PlanNode"): (
        1,
        "direction titles only, to group counts of visible items",
    ),
    ("reports/builders/bulletin.py", "Notice"): (1, "all notices only without a reader (the command line)"),
    ("reports/builders/review.py", "Plan"): (1, "the region-year's plan; may_read_review decided the reader"),
    ("reports/builders/review.py", "PlanNode"): (2, "the plan's node titles, to place visible items"),
    ("reports/builders/review.py", "WorkItem"): (2, "the plan's items, narrowed to visible_items(user)"),
    ("reports/builders/review.py", "Observation"): (1, "narrowed to visible_observations(user)"),
    ("reports/builders/review.py", "Honour"): (1, "narrowed to visible_honours(user)"),
    ("reports/builders/review.py", "Target"): (1, "narrowed to visible_targets(user)"),
    ("reports/builders/ledger.py", "WorkItem"): (
        1,
        "the region-year's items, narrowed to visible_items(user)",
    ),
    ("supervision/rankings.py", "WorkItem"): (1, "the plan's items, narrowed by `among` (the reader's)"),
    ("supervision/rankings.py", "ProgressReport"): (1, "months reported on the items counted, no row shown"),
}


def direct_uses() -> Counter:
    uses: Counter = Counter()
    for path in RESPONSE_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in MANAGERS
                and isinstance(node.value, ast.Name)
                and node.value.id in PROTECTED
            ):
                uses[(path.relative_to(PACKAGE).as_posix(), node.value.id)] += 1
    return uses


def test_every_direct_read_of_a_protected_model_in_a_response_module_is_reviewed():
    found = direct_uses()
    unreviewed = {key: n for key, n in found.items() if REVIEWED.get(key, (0,))[0] != n}
    assert unreviewed == {}, "read these through accounts.policy.visible_* or review them in REVIEWED"
    assert set(REVIEWED) == set(found), "a reviewed use is gone: remove it from REVIEWED"


def test_the_coverage_test_sees_a_direct_read():
    source = "from countyworks.plans.models import WorkItem\nrows = WorkItem.objects.all()\n"
    tree = ast.parse(source)
    hits = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr in MANAGERS and n.value.id in PROTECTED
    ]
    assert len(hits) == 1
