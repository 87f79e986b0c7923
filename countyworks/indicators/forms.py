"""Forms of the indicator screens: the list filter, a figure, a target, and the figure-table upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.core.fields import AsciiIntegerField
from countyworks.core.spreadsheet_import import validate_xlsx_upload
from countyworks.core.widgets import FastSelect
from countyworks.indicators.models import Indicator, Observation, Qualifier, Target, ValueKind


class RegionYearForm(forms.Form):
    """The filter of the indicator list: one year (with the year before it, for comparisons)."""

    year = AsciiIntegerField(label=_("Year"), min_value=1949, max_value=2100, required=False)


class _IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name}（{obj.unit}）" if obj.unit else obj.name


class ObservationForm(forms.Form):
    """Enter or correct one figure of a region. The value stays text until the service reads it, so
    a figure written in another scale of the indicator's unit (亿元 for 万元) is converted there."""

    indicator = _IndicatorChoice(label=_("Indicator"), queryset=Indicator.objects.all())
    year = AsciiIntegerField(label=_("Year"))
    quarter = AsciiIntegerField(label=_("Quarter"), required=False, help_text=_("1–4; blank for a year."))
    month = AsciiIntegerField(label=_("Month"), required=False, help_text=_("1–12; blank for a year."))
    value_kind = forms.ChoiceField(label=_("Value kind"), choices=ValueKind.choices, initial=ValueKind.LEVEL)
    value = forms.CharField(label=_("Value"), max_length=40)
    unit = forms.CharField(
        label=_("Unit"), max_length=20, required=False, help_text=_("Blank: the indicator's own unit.")
    )
    qualifier = forms.ChoiceField(label=_("Qualifier"), choices=Qualifier.choices, initial=Qualifier.EXACT)
    base_year = AsciiIntegerField(
        label=_("Base year"), required=False, help_text=_("Only for a stated growth or multiple.")
    )
    base_label = forms.CharField(label=_("Base period as written"), max_length=40, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    published = forms.BooleanField(label=_("Published on the portal"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Observation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].widget = FastSelect(choices=self.fields["indicator"].choices)
        if instance is not None and not self.is_bound:
            for name in self.fields:
                if name == "indicator":
                    self.initial[name] = instance.indicator_id
                elif name == "value":
                    self.initial[name] = f"{instance.value.normalize():f}"
                else:
                    self.initial[name] = getattr(instance, name)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TargetForm(forms.Form):
    indicator = _IndicatorChoice(label=_("Indicator"), queryset=Indicator.objects.all())
    year = AsciiIntegerField(label=_("Target year"))
    value = forms.CharField(label=_("Target value"), max_length=40)
    unit = forms.CharField(
        label=_("Unit"), max_length=20, required=False, help_text=_("Blank: the indicator's own unit.")
    )
    qualifier = forms.ChoiceField(label=_("Qualifier"), choices=Qualifier.choices, initial=Qualifier.AT_LEAST)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: Target | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].widget = FastSelect(choices=self.fields["indicator"].choices)
        if instance is not None and not self.is_bound:
            self.initial.update(
                indicator=instance.indicator_id,
                year=instance.year,
                value=f"{instance.value.normalize():f}",
                unit=instance.unit,
                qualifier=instance.qualifier,
                version=instance.version,
            )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class FigureUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Figure table (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def clean_file(self) -> Any:
        # The checks every workbook upload makes: an .xlsx name, the size limit.
        return validate_xlsx_upload(self.cleaned_data["file"])
