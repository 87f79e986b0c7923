"""The task-table upload screen at /plans/import/: upload, preview what will happen, confirm.

The preview writes nothing. The uploaded file waits under MEDIA_ROOT/imports/ under a random
name (not in the session, so any app server behind the load balancer can finish the import),
and is deleted once the import succeeds. Only supervisors who may manage the plan
(`policy.can_manage_plan`) get here.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.plans.importer import TaskImportError, preview_import, run_import
from countyworks.plans.models import Plan

TEMPLATE_PATH = Path(__file__).resolve().parent / "data" / "task-table-template.xlsx"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
PENDING_MAX_AGE_SECONDS = 24 * 3600


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
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_abandoned_uploads() -> None:
    """Previews nobody confirmed are dropped after a day, so the folder does not grow forever."""
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in _pending_dir().glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:  # another worker removed it first
            pass


def _pending_path(token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    path = _pending_dir() / f"{token}.xlsx"
    return path if path.is_file() else None


def _plans_or_403(request: HttpRequest) -> list[Plan]:
    plans = manageable_plans(request.user)
    if not plans:
        raise DjangoPermissionDenied
    return plans


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    plans = _plans_or_403(request)
    form = UploadForm(request.POST or None, request.FILES or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        _forget_abandoned_uploads()
        token = secrets.token_hex(16)
        path = _pending_dir() / f"{token}.xlsx"
        with path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        try:
            preview = preview_import(plan, str(path))
        except TaskImportError as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        else:
            if not preview.ok:
                path.unlink(missing_ok=True)
            return render(
                request,
                "plans/import_preview.html",
                {"preview": preview, "plan": plan, "token": token if preview.ok else ""},
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
    path = _pending_path(request.POST.get("token", ""))
    if path is None:
        messages.error(request, _("The uploaded file has expired or was already imported. Upload it again."))
        return redirect("plans_import:upload")
    try:
        result = run_import(request.user, plan, str(path), create_missing=True)
    except TaskImportError as exc:
        return render(
            request, "plans/import_preview.html", {"preview": None, "plan": plan, "problems": exc.problems}
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("plans_import:upload")
    path.unlink(missing_ok=True)
    messages.success(
        request,
        _("Imported %(count)s items into %(plan)s.") % {"count": result.items_created, "plan": plan},
    )
    try:
        return redirect(reverse("plans:ledger") + f"?plan={plan.pk}")
    except NoReverseMatch:
        return redirect("plans_import:upload")


@login_required
def template_workbook(request: HttpRequest) -> FileResponse:
    _plans_or_403(request)
    return FileResponse(TEMPLATE_PATH.open("rb"), as_attachment=True, filename="任务分解表模板.xlsx")
