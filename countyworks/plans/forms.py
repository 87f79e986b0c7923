"""Forms of the plans screens: the work item editor and the choice of plan for a new item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.accounts import policy
from countyworks.plans.models import Plan, PlanNode, WorkItem
from countyworks.plans.services import ITEM_FIELDS
from countyworks.regions.models import Organisation, Person


class WorkItemForm(forms.ModelForm):
    """Create or edit an item. `version` carries the version read, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkItem
        # The service's field list, with the co-operating units beside the lead unit.
        fields = [*ITEM_FIELDS[: ITEM_FIELDS.index("lead_unit") + 1], "co_units"]
        fields += list(ITEM_FIELDS[ITEM_FIELDS.index("lead_unit") + 1 :])
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in (
                "start_date",
                "due_date",
                "completed_on",
                "promised_on",
                "closed_on",
                "party_lecture_on",
            )
        } | {
            "description": forms.Textarea(attrs={"rows": 3}),
            "target": forms.Textarea(attrs={"rows": 2}),
            "problem": forms.Textarea(attrs={"rows": 2}),
            "measures": forms.Textarea(attrs={"rows": 2}),
            "research_report": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        prefix = policy.region_prefix(plan.region)
        self.fields["node"].queryset = PlanNode.objects.filter(plan=plan)
        units = Organisation.objects.filter(region__code__startswith=prefix)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].widget.attrs["size"] = 6
        self.fields["lead_leader"].queryset = Person.objects.filter(region__code__startswith=prefix)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of plans.services (co_units apart)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("co_units", None)
        return data


class NewItemPlanForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = policy.manageable_plans(user)
