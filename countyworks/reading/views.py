"""Screens for reading documents in: import, review of the proposals, the document with a cited span,
and the consistency check of a region-year.

Reading and deciding belong to the supervision office of the region (policy.can_manage_plan);
anyone working on the ledger in scope may read a stored document and the consistency list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from countyworks.accounts import policy
from countyworks.core.services import ServiceError
from countyworks.indicators.services import consistency_issues
from countyworks.reading import services
from countyworks.reading.forms import ImportForm, edit_form_for, json_ready
from countyworks.reading.highlight import Span, segments, text_pages
from countyworks.reading.models import DraftRecord, DraftState, ProposalKind
from countyworks.regions.models import Region
from countyworks.sources.models import Document

# Sentence-long proposals are listed beside the text; the figures and names inside them are marked.
_LISTED_ONLY = frozenset({ProposalKind.PLAN_TASK, ProposalKind.PROGRESS_REPORT, ProposalKind.NOTICE})
# The buttons that switch a figure's proposal between a fact and a goal before it is accepted.
_SWITCHES = {"as_target": ProposalKind.TARGET, "as_observation": ProposalKind.OBSERVATION}


def _documents_in_scope(user) -> QuerySet[Document]:
    """The documents the policy lets `user` read (their region's and those of no region) that have a text."""
    return policy.visible_documents(user).select_related("region").exclude(text="")


def _require_reader(user, region: Region | None) -> None:
    """The consistency check of a region: staff of that region (who read all of its figures)."""
    if not (policy.is_internal_user(user) and policy.in_scope(user, region)):
        raise PermissionDenied(_("You may not read documents of this region."))


def _readable_document(user, pk: int) -> Document:
    """Reading screens are for staff; a document they may not read is not there for them (404)."""
    if not policy.is_internal_user(user):
        raise PermissionDenied(_("You may not read documents of this region."))
    return get_object_or_404(policy.visible_documents(user).select_related("region"), pk=pk)


def _require_manager(user, region: Region | None) -> None:
    if not policy.can_manage_plan(user, region):
        raise PermissionDenied(_("Only the supervision office of the region reads documents in."))


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """The documents read in so far, and the form that reads a new one."""
    user = request.user
    if not policy.is_internal_user(user):
        raise PermissionDenied(_("You may not read documents."))
    can_import = policy.can_manage_plan(user, user.region)
    initial = {"region": user.region.code if user.region_id else ""}
    form = ImportForm(initial=initial)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            _require_manager(user, data["region"])
            try:
                document = services.read_document(
                    user,
                    text=data["text"],
                    region=data["region"],
                    year=data["year"],
                    title=data["title"],
                    kind=data["kind"],
                )
            except PermissionDenied:  # the service refused: Django answers 403
                raise
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The document was read; decide each proposal below."))
                return redirect("reading:review", pk=document.pk)
        elif not can_import:
            raise PermissionDenied(_("Only the supervision office of the region reads documents in."))
    listed = (
        _documents_in_scope(user)
        .annotate(
            draft_count=Count("drafts"),
            open_count=Count("drafts", filter=Q(drafts__state=DraftState.PROPOSED)),
        )
        .order_by("-created_at")[:200]
    )
    rows = [{"document": d, "open": d.open_count, "total": d.draft_count} for d in listed]
    return render(
        request,
        "reading/documents.html",
        {"form": form, "rows": rows, "can_import": can_import},
        status=400 if request.method == "POST" else 200,
    )


# The review page shows this much of the text at a time, with the proposals of that part: a 300,000-
# character bulletin was one 34 MB page taking 37 s to draw.
REVIEW_PAGE_CHARS = 20_000


def _review_context(document: Document, page_number: Any = 1) -> dict:
    page = Paginator(text_pages(document.text, REVIEW_PAGE_CHARS), 1).get_page(page_number)
    start, end = page.object_list[0]
    last = not page.has_next()
    drafts = list(
        document.drafts.select_related("decided_by")
        .filter(start__gte=start, **({} if last else {"start__lt": end}))
        .order_by("start", "id")
    )
    spans = [
        Span(d.start - start, d.end - start, [d.pk], f"mark-{d.kind} mark-{d.state}")
        for d in drafts
        if d.kind not in _LISTED_ONLY
    ]
    parts = segments(document.text[start:end], spans)
    for part in parts:
        part.start += start  # the anchors (#span-N) keep the offsets of the whole text
    choices = services.indicator_choices(drafts)
    return {
        "document": document,
        "segments": parts,
        "drafts": [{"draft": d, "form": None, "error": "", "choices": choices.get(d.pk, [])} for d in drafts],
        "summary": services.summary(document),
        "page": page,
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The text with every mention marked, and each proposal beside it to accept, edit or reject."""
    document = _readable_document(request.user, pk)
    _require_manager(request.user, document.region)
    return render(request, "reading/review.html", _review_context(document, request.GET.get("page")))


def _row(
    request: HttpRequest, draft: DraftRecord, *, form=None, error: str = "", status: int = 200
) -> HttpResponse:
    choices = services.indicator_choices([draft]).get(draft.pk, [])
    return render(
        request,
        "reading/_draft.html",
        {"row": {"draft": draft, "form": form, "error": error, "choices": choices}},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, edit (then accept) or reject one proposal, or switch a figure between observation and
    target. htmx gets the row back; a plain form a redirect."""
    draft = get_object_or_404(DraftRecord.objects.select_related("document__region"), pk=pk)
    _require_manager(request.user, draft.document.region)
    back = reverse("reading:review", args=[draft.document_id]) + f"#draft-{draft.pk}"
    if request.method == "GET":
        form = edit_form_for(draft, request.user)
        if request.htmx:
            return _row(request, draft, form=form)
        return render(
            request, "reading/draft_edit.html", {"row": {"draft": draft, "form": form, "error": ""}}
        )
    action = request.POST.get("action")
    form = None
    try:
        if action == "reject":
            draft = services.reject_draft(request.user, draft)
        elif action == "accept":
            # An existing indicator the person chose among those offered (same or synonymous name).
            chosen = request.POST.get("indicator_id") or ""
            draft = services.accept_draft(
                request.user, draft, {"indicator_id": int(chosen)} if chosen.isdigit() else None
            )
        elif action in _SWITCHES:
            draft = services.switch_draft_kind(request.user, draft, _SWITCHES[action])
            if request.htmx:
                return _row(request, draft)
            messages.success(
                request, _("%(text)s: now %(kind)s") % {"text": draft.text, "kind": draft.get_kind_display()}
            )
            return redirect(back)
        elif action == "edit":
            form = edit_form_for(draft, request.user, request.POST)
            if form is None:
                raise ServiceError(
                    _("This mention is not a figure to record; reject it instead."), field="kind"
                )
            if not form.is_valid():
                return _edit_failed(request, draft, form, _("Correct the marked fields."))
            draft = services.accept_draft(request.user, draft, json_ready(form.cleaned_data))
        else:
            raise ServiceError(_("Unknown action."), field="action")
    except PermissionDenied:  # the service refused: Django answers 403
        raise
    except ServiceError as exc:
        draft.refresh_from_db()
        if form is not None:
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            return _edit_failed(request, draft, form, exc.message)
        if request.htmx:
            return _row(request, draft, error=exc.message)
        messages.error(request, f"{draft.text}: {exc.message}")
        return redirect(back)
    if request.htmx:
        return _row(request, draft)
    messages.success(
        request, _("%(text)s: %(state)s") % {"text": draft.text, "state": draft.get_state_display()}
    )
    return redirect(back)


def _edit_failed(request: HttpRequest, draft: DraftRecord, form, message: str) -> HttpResponse:
    if request.htmx:
        # htmx swaps only 2xx answers by default; the row with its errors is the answer.
        return _row(request, draft, form=form, error=message)
    return render(
        request,
        "reading/draft_edit.html",
        {"row": {"draft": draft, "form": form, "error": message}},
        status=400,
    )


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A stored document, with the span ?start=&end= marked (where a citation points)."""
    doc = _readable_document(request.user, pk)
    start, end = _int_or_none(request.GET.get("start")), _int_or_none(request.GET.get("end"))
    spans = [Span(start, end, [], "mark-cited")] if start is not None and end is not None else []
    return render(
        request,
        "reading/document.html",
        {
            "document": doc,
            "segments": segments(doc.text, spans),
            "cited": doc.text[start:end] if spans else "",
            "can_review": policy.can_manage_plan(request.user, doc.region),
        },
    )


@login_required
def consistency(request: HttpRequest, region_code: str, year: int) -> HttpResponse:
    """Figures of a region-year that disagree, each with the citations behind it."""
    region = get_object_or_404(Region, code=region_code)
    _require_reader(request.user, region)
    issues = []
    for issue in consistency_issues(region, year):
        cited = []
        for observation, citation in zip(issue.observations, issue.citations, strict=False):
            link = ""
            if citation is not None and citation.start is not None:
                link = reverse("reading:document", args=[citation.document_id]) + (
                    f"?start={citation.start}&end={citation.end}#cited"
                )
            cited.append({"observation": observation, "citation": citation, "link": link})
        issues.append({"issue": issue, "cited": cited})
    return render(request, "reading/consistency.html", {"region": region, "year": year, "issues": issues})
