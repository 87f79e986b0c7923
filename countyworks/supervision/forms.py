"""Forms of the supervision screens: progress reports, review, notices and instructions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.supervision.uploads import ACCEPT_ATTRIBUTE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the type and size checks live in supervision.uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


EVIDENCE_HELP = _("Photos (JPEG, PNG, WebP) or PDF, DOCX, XLSX files; several at once.")


class ProgressReportForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("e.g. 2023-11, 2023-Q4 or 2023"))
    progress = forms.DecimalField(label=_("Progress (%)"), min_value=0, max_value=100, decimal_places=2)
    text = forms.CharField(label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleFileField(label=_("Evidence"), help_text=EVIDENCE_HELP)


class ResubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.DecimalField(label=_("Progress (%)"), min_value=0, max_value=100, decimal_places=2)
    text = forms.CharField(label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleFileField(label=_("More evidence"), help_text=EVIDENCE_HELP)


class ReviewForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is returned."),
    )


class NoticeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    deadline = forms.DateField(
        label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    content = forms.CharField(label=_("What the unit must do"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NoticeAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}))
