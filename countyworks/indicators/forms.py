"""Forms of the indicator screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RegionYearForm(forms.Form):
    """The filter of the indicator list: one year (with the year before it, for comparisons)."""

    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2100, required=False)
