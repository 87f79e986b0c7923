"""Forms of the reports screens: which region, which year, which period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.core.fields import AsciiIntegerField


class ReviewForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=12)
    year = AsciiIntegerField(label=_("Year"), min_value=2000, max_value=2100)


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
        # The service refuses these too; saying it here names the field on the screen.
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not 1949 <= value.year <= 2100:
                self.add_error(
                    name, _("Give a day between %(first)s and %(last)s.") % {"first": 1949, "last": 2100}
                )
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The period ends before it starts."))
        return data
