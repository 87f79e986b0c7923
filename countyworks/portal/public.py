"""What the public may read: the querysets behind the portal and anonymous API callers.

Both the portal pages and the API ask these functions, so "anonymous gets exactly what the
portal shows" holds by construction. Work items come from `policy.public_items()`, kept to
public plans; everything else a supervisor publishes follows the same rule: published, not
internal, and hanging off something public. Phone numbers, instructions, notices and reviewer comments are never selected here.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from countyworks.accounts import policy


def plans() -> QuerySet:
    from countyworks.plans.models import Plan

    return Plan.objects.filter(published=True, internal=False)


def items() -> QuerySet:
    # policy.public_items() checks the plan's `published` but not its `internal` flag, and an
    # internal plan is "never shown, even when published": its items stay inside too.
    return policy.public_items().filter(plan__internal=False)


def reports() -> QuerySet:
    """Approved reports of public items; submitted and returned ones never leave the office."""
    from countyworks.supervision.models import ProgressReport, ReviewState

    return ProgressReport.objects.filter(state=ReviewState.APPROVED, item__in=items())


def evidence() -> QuerySet:
    """Evidence the reporting unit allowed to be public, attached to a public report."""
    from countyworks.supervision.models import Evidence

    return Evidence.objects.filter(public=True, report__in=reports())


def observations() -> QuerySet:
    from countyworks.indicators.models import Observation

    return Observation.objects.filter(published=True, internal=False)


def honours() -> QuerySet:
    from countyworks.honours.models import Honour

    return Honour.objects.filter(published=True, internal=False)


def targets() -> QuerySet:
    """Targets carry no publication flag; they are public where the region has published a plan
    for that year (targets are announced in the plan)."""
    from countyworks.indicators.models import Target

    # A subquery, not one OR term per published plan: with a few hundred plans SQLite refuses
    # the expression as too deep, and PostgreSQL plans a needlessly long query.
    same_year = plans().filter(year=OuterRef("year"))
    return Target.objects.filter(
        Exists(same_year.filter(region=OuterRef("region")))
        | Exists(same_year.filter(region=OuterRef("organisation__region")))
    )


def documents() -> QuerySet:
    """Published source documents; uploads are working files and stay internal."""
    from countyworks.sources.models import Document, DocumentKind

    return Document.objects.exclude(kind=DocumentKind.UPLOAD)


def citations() -> QuerySet:
    from countyworks.sources.models import Citation

    return Citation.objects.filter(document__in=documents())
