"""The ledger's Excel round trip screens: upload the edited workbook, see every change cell by cell,
confirm. The preview writes nothing; the upload waits in core/pending_uploads.py for the
confirmation, which claims it first so a double click imports once (as the task-table import does).
The reading and writing are in roundtrip.py; only the office that may manage a plan gets here.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.core.pending_uploads import UploadUnavailable, claim_pending_upload, store_pending_upload
from countyworks.core.services import ServiceError
from countyworks.core.spreadsheet_import import validate_xlsx_upload
from countyworks.plans.models import Plan
from countyworks.supervision.roundtrip import RoundTripError, apply_round_trip, preview_round_trip


class RoundTripForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=gettext_lazy("Plan"))
    file = forms.FileField(
        label=gettext_lazy("Edited ledger workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, plans: list[Plan], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=[plan.pk for plan in plans])

    def clean_file(self):
        return validate_xlsx_upload(self.cleaned_data["file"])


def _plans_or_403(request: HttpRequest) -> list[Plan]:
    plans = list(policy.manageable_plans(request.user).select_related("region").order_by("-year", "title"))
    if not plans:
        raise PermissionDenied
    return plans


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    plans = _plans_or_403(request)
    form = RoundTripForm(request.POST or None, request.FILES or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        pending = store_pending_upload(form.cleaned_data["file"])
        try:
            preview = preview_round_trip(request.user, plan, str(pending.path))
        except RoundTripError as exc:
            pending.path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        else:
            if not preview.ok or not preview.rows:
                pending.path.unlink(missing_ok=True)
            return render(
                request,
                "supervision/roundtrip_preview.html",
                {
                    "preview": preview,
                    "problems": preview.problems,
                    "plan": plan,
                    "token": pending.token if preview.ok and preview.rows else "",
                },
            )
    return render(request, "supervision/roundtrip.html", {"form": form, "plans": plans})


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    plans = _plans_or_403(request)
    plan = next((p for p in plans if str(p.pk) == request.POST.get("plan")), None)
    if plan is None:
        raise Http404
    try:
        with claim_pending_upload(request.POST.get("token", "")) as path:
            result = apply_round_trip(request.user, plan, str(path))
    except UploadUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("ledger:roundtrip")
    except RoundTripError as exc:
        return render(
            request,
            "supervision/roundtrip_preview.html",
            {"preview": None, "plan": plan, "problems": exc.problems},
        )
    except PermissionDenied:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:roundtrip")
    messages.success(
        request,
        _(
            "Ledger updated: %(updated)s items changed, %(reports)s progress reports entered, "
            "%(created)s items added."
        )
        % {
            "updated": result.items_updated,
            "reports": result.reports_entered,
            "created": result.items_created,
        },
    )
    return redirect(reverse("ledger:list") + f"?plan={plan.pk}")
