"""Forms of the reports screens: which region, which year, which period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=12)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class BulletinForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=12)
    date_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The period ends before it starts."))
        return data
