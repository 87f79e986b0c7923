"""Forms of the reporting-cycle screens (issue 19): a plan's cycle per kind and reopening a period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.plans.cadence import LONGEST_WINDOW_DAYS
from countyworks.plans.models import ReportCadence


class ReportingCycleForm(forms.Form):
    """One kind's row of the plan's cycles; a blank frequency follows the row for every kind."""

    cadence = forms.ChoiceField(label=_("Reporting frequency"), required=False)
    opens_before_end = forms.IntegerField(
        label=_("Window opens (days before the period ends)"),
        required=False,
        min_value=0,
        max_value=LONGEST_WINDOW_DAYS,
        help_text=_("blank: from the period's first day"),
    )
    closes_after_end = forms.IntegerField(
        label=_("Window closes (days after the period ends)"),
        required=False,
        min_value=0,
        max_value=LONGEST_WINDOW_DAYS,
        initial=0,
    )

    def __init__(self, *args, blank_label: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadence"].choices = [("", blank_label), *ReportCadence.choices]


class PeriodReopenForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    period = forms.CharField(widget=forms.HiddenInput, max_length=10)
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)
