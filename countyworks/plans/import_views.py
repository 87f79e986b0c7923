"""The task-table upload screen at /plans/import/: upload, preview what will happen, confirm.

The preview writes nothing. The uploaded file waits for the confirmation in the folder of
`core/pending_uploads.py`; the confirmation claims it first, so a double click or a second tab
imports once and the other confirmation is told the file is already imported or being imported. Only supervisors who may manage
the plan (`policy.can_manage_plan`) get here.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.core.pending_uploads import UploadUnavailable, claim_pending_upload, store_pending_upload
from countyworks.core.services import ServiceError
from countyworks.core.spreadsheet_import import validate_xlsx_upload
from countyworks.plans.importer import TaskImportError, preview_import, run_import
from countyworks.plans.models import Plan

TEMPLATE_PATH = Path(__file__).resolve().parent / "data" / "task-table-template.xlsx"


def manageable_plans(user) -> list[Plan]:
    """Plans the user may import into; the decision is the policy's, per plan."""
    return list(policy.manageable_plans(user).select_related("region").order_by("-year", "title"))


class UploadForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=gettext_lazy("Plan"))
    file = forms.FileField(
        label=gettext_lazy("Task table (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, plans: list[Plan], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=[plan.pk for plan in plans])

    def clean_file(self):
        return validate_xlsx_upload(self.cleaned_data["file"])


def _plans_or_403(request: HttpRequest) -> list[Plan]:
    plans = manageable_plans(request.user)
    if not plans:
        raise PermissionDenied
    return plans


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    plans = _plans_or_403(request)
    form = UploadForm(request.POST or None, request.FILES or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        pending = store_pending_upload(form.cleaned_data["file"])
        try:
            preview = preview_import(plan, str(pending.path))
        except TaskImportError as exc:
            pending.path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        else:
            if not preview.ok:
                pending.path.unlink(missing_ok=True)
            return render(
                request,
                "plans/import_preview.html",
                {
                    "preview": preview,
                    "problems": preview.problems,
                    "plan": plan,
                    "token": pending.token if preview.ok else "",
                },
            )
    return render(request, "plans/import.html", {"form": form})


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    plans = _plans_or_403(request)
    # Picked from the user's own plans by its id as text: a malformed id is a 404, not a crash in the ORM.
    plan = next((p for p in plans if str(p.pk) == request.POST.get("plan")), None)
    if plan is None:
        raise Http404
    try:
        with claim_pending_upload(request.POST.get("token", "")) as path:
            result = run_import(request.user, plan, str(path), create_missing=True)
    except UploadUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("plans_import:upload")
    except TaskImportError as exc:
        return render(
            request, "plans/import_preview.html", {"preview": None, "plan": plan, "problems": exc.problems}
        )
    except PermissionDenied:  # the service refused: Django answers 403
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("plans_import:upload")
    messages.success(
        request,
        _("Imported %(count)s items into %(plan)s.") % {"count": result.items_created, "plan": plan},
    )
    try:
        return redirect(reverse("ledger:list") + f"?plan={plan.pk}")
    except NoReverseMatch:
        return redirect("plans_import:upload")


@login_required
def template_workbook(request: HttpRequest) -> FileResponse:
    _plans_or_403(request)
    return FileResponse(TEMPLATE_PATH.open("rb"), as_attachment=True, filename="任务分解表模板.xlsx")
