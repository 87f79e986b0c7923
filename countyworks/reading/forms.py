"""Forms of the reading screens: reading a text in, and editing a proposal before accepting it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from countyworks.accounts import policy
from countyworks.core.fields import AsciiIntegerField
from countyworks.honours.models import HonourLevel
from countyworks.indicators.models import Qualifier, ValueKind
from countyworks.reading.models import DraftRecord, ProposalKind
from countyworks.reading.services import READABLE_KINDS
from countyworks.regions.models import Region
from countyworks.sources.models import DocumentKind


class ImportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    region = forms.CharField(label=_("Region code"), max_length=12)
    year = AsciiIntegerField(label=_("Year covered"), min_value=1949, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in READABLE_KINDS],
        initial=DocumentKind.WORK_REPORT,
    )
    text = forms.CharField(
        label=_("Paste the text"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    file = forms.FileField(label=_("or upload a text file (UTF-8 or GB18030)"), required=False)

    def clean_region(self) -> Region:
        code = self.cleaned_data["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("No region has the code %(code)s."), params={"code": code})
        return region

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > settings.UPLOAD_MAX_BYTES:
                self.add_error("file", _("The file is too large."))
                return data
            raw = upload.read()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    data["text"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                self.add_error("file", _("The file is not UTF-8 or GB18030 text."))
                return data
            if "\x00" in data["text"]:
                # Refused, not stripped: a NUL means a binary file (a .doc, a PDF) was sent as text.
                self.add_error("file", _("The file holds a NUL character: it is not a plain text file."))
                return data
        if not (data.get("text") or "").strip():
            self.add_error("text", _("Paste a text or upload a file."))
        return data


class ObservationDraftForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    value = forms.DecimalField(label=_("Value"), max_digits=24, decimal_places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    qualifier = forms.ChoiceField(label=_("Qualifier"), choices=Qualifier.choices)
    year = AsciiIntegerField(label=_("Year"), min_value=1949, max_value=2100)
    value_kind = forms.ChoiceField(label=_("Value kind"), choices=ValueKind.choices)
    base_year = AsciiIntegerField(label=_("Base year"), min_value=1949, max_value=2100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("value_kind") in (ValueKind.GROWTH, ValueKind.MULTIPLE) and not data.get("base_year"):
            self.add_error("base_year", _("A stated growth or multiple needs its base year."))
        return data


class TargetDraftForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    value = forms.DecimalField(label=_("Target value"), max_digits=24, decimal_places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    qualifier = forms.ChoiceField(label=_("Qualifier"), choices=Qualifier.choices)
    year = AsciiIntegerField(label=_("Target year"), min_value=1949, max_value=2100)


class HonourDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=HonourLevel.choices)
    year = AsciiIntegerField(label=_("Year"), min_value=1949, max_value=2100, required=False)


class KeyProjectDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    total_investment = forms.DecimalField(
        label=_("Total investment (yuan)"), max_digits=18, decimal_places=2, required=False
    )


def ledger_item_field() -> forms.TypedChoiceField:
    """A draft matched to a ledger item by title similarity: the person may pick another item of the
    document's region-year plan before accepting (`edit_form_for` sets the choices)."""
    return forms.TypedChoiceField(label=_("Ledger item"), coerce=int)


class ProgressDraftForm(forms.Form):
    item = ledger_item_field()
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("YYYY-MM, YYYY-Qn or YYYY"))
    progress = forms.DecimalField(
        label=_("Progress (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoticeDraftForm(forms.Form):
    item = ledger_item_field()
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    deadline = forms.DateField(label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}))


class PlanNodeDraftForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)


class PlanTaskDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)


EDIT_FORMS: dict[str, type[forms.Form]] = {
    ProposalKind.OBSERVATION: ObservationDraftForm,
    ProposalKind.ITEM_COUNT: ObservationDraftForm,
    ProposalKind.TARGET: TargetDraftForm,
    ProposalKind.HONOUR: HonourDraftForm,
    ProposalKind.KEY_PROJECT: KeyProjectDraftForm,
    ProposalKind.PLAN_NODE: PlanNodeDraftForm,
    ProposalKind.PLAN_TASK: PlanTaskDraftForm,
    ProposalKind.PROGRESS_REPORT: ProgressDraftForm,
    ProposalKind.NOTICE: NoticeDraftForm,
}


def edit_form_for(draft: DraftRecord, user: Any, data: Any = None) -> forms.Form | None:
    """The small form that edits a draft's proposed fields (None for what cannot be recorded).

    An item choice lists the document's region-year items that `user` may read."""
    form_class = EDIT_FORMS.get(draft.kind)
    if form_class is None:
        return None
    initial = {name: draft.fields.get(name) for name in form_class.base_fields}
    form = form_class(data=data, initial=initial, prefix=f"d{draft.pk}")
    if "item" in form.fields:
        document = draft.document
        items = policy.visible_items(user).filter(
            plan__region_id=document.region_id, plan__year=document.year
        )
        form.fields["item"].choices = list(items.order_by("number", "id").values_list("pk", "title"))
    return form


def json_ready(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Form values as JSON values (Decimals as strings), to store in a draft's fields."""
    ready: dict[str, Any] = {}
    for name, value in cleaned.items():
        if isinstance(value, Decimal):
            # 8650000000.000000 and 8650000000 are the same figure: compare and store the short form.
            value = decimal_text(value)
        elif isinstance(value, date):
            value = value.isoformat()
        ready[name] = value
    return ready


def decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
