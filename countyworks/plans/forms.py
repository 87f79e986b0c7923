"""Forms of the plans screens: the ledger filter and the work item editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from countyworks.accounts import policy
from countyworks.plans.models import ItemKind, ItemStatus, Light, Plan, PlanNode, WorkItem
from countyworks.plans.services import ITEM_FIELDS
from countyworks.regions.models import Organisation, Person

# Sort keys offered to the user → ORDER BY; anything else falls back to the plan order.
SORTS: dict[str, tuple[str, ...]] = {
    "number": ("node__order", "number", "id"),
    "title": ("title", "id"),
    "due": ("due_date", "id"),
    "progress": ("progress", "id"),
    "light": ("light", "id"),
    "status": ("status", "id"),
    "unit": ("lead_unit__name", "id"),
    "updated": ("updated_at", "id"),
}
SORT_LABELS = {
    "number": _("plan order"),
    "title": _("title"),
    "due": _("due date"),
    "progress": _("progress"),
    "light": _("traffic light"),
    "status": _("status"),
    "unit": _("responsible unit"),
    "updated": _("last change"),
}


class FastSelect(forms.Select):
    """A <select> built in Python: a province's ledger offers 1,800 nodes and 1,680 units, and
    rendering each option through Django's widget templates (or even format_html) cost more than
    every query of the page together."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        options = []
        for key, label in self.choices:
            key = str(key)
            mark = " selected" if key == selected else ""
            options.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        # Every key and label above went through escape().
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe("".join(options))
        )


def _listed_choices(queryset: QuerySet, fields: tuple[str, ...], label: Callable[..., str]) -> list:
    """(pk, label) for every row, read with values_list: no model instance per option."""
    return [("", _("all"))] + [(pk, label(*values)) for pk, *values in queryset.values_list("pk", *fields)]


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("all"))] + list(choices)


class LedgerFilterForm(forms.Form):
    """GET filter of the ledger; every choice list is limited to what the user may read."""

    q = forms.CharField(label=_("Search titles"), required=False, max_length=100)
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    node = forms.ModelChoiceField(label=_("Goal tree node"), queryset=PlanNode.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank(ItemKind.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_blank(ItemStatus.choices), required=False)
    light = forms.ChoiceField(label=_("Light"), choices=_blank(Light.choices), required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Organisation.objects.none(), required=False
    )
    leader = forms.ModelChoiceField(label=_("Lead leader"), queryset=Person.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[(key, label) for key, label in SORT_LABELS.items()]
        + [("-" + key, _("%(field)s, descending") % {"field": label}) for key, label in SORT_LABELS.items()],
        required=False,
    )

    def __init__(self, *args: Any, visible: QuerySet[WorkItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget = FastSelect(choices=field.choices)
        # One pass over the visible items for the distinct (plan, unit, leader) ids they use, then the
        # option rows by id: three semi-joins over a province's 36,000 visible items cost half again
        # as much (53 ms against 35 ms; a county 6 ms against 4 ms).
        used = visible.order_by().values_list("plan_id", "lead_unit_id", "lead_leader_id").distinct()
        plan_ids, unit_ids, leader_ids = set(), set(), set()
        for plan_id, unit_id, leader_id in used:
            plan_ids.add(plan_id)
            unit_ids.add(unit_id)
            leader_ids.add(leader_id)
        plans = Plan.objects.filter(pk__in=plan_ids)
        nodes = PlanNode.objects.filter(plan__in=plan_ids)
        units = Organisation.objects.filter(pk__in=unit_ids - {None})
        leaders = Person.objects.filter(pk__in=leader_ids - {None})
        # The querysets validate what was chosen; the options are read as plain rows.
        self.fields["plan"].queryset = plans
        self.fields["node"].queryset = nodes
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = leaders
        self.fields["plan"].widget.choices = _listed_choices(plans, ("year", "title"), Plan.label)
        self.fields["node"].widget.choices = _listed_choices(
            nodes,
            ("plan__year", "number", "title"),
            lambda year, number, title: f"{year} · {PlanNode.label(number, title)}",
        )
        self.fields["unit"].widget.choices = _listed_choices(
            units, ("name", "short_name"), Organisation.label
        )
        self.fields["leader"].widget.choices = _listed_choices(leaders, ("name", "title"), Person.label)


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
