"""Forms of the supervision procedure's screens (issue 13)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExtensionApplyForm(forms.Form):
    requested_due_date = forms.DateField(label=_("New deadline requested"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)


class ExtensionDecideForm(forms.Form):
    APPROVE = "approve"
    REFUSE = "refuse"

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    new_due_date = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to grant the requested deadline."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the extension is refused."),
    )


class ClosureApplyForm(forms.Form):
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Required to strike off a rectification item (申请销号)."),
    )


class ClosureDecideForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Close the item")), (RETURN, _("Return for more"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the application is returned: say what is missing."),
    )


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2}))


class BlockerRaiseForm(forms.Form):
    addressed_to = forms.ChoiceField(label=_("Raise it to"), choices=(), widget=forms.RadioSelect)
    text = forms.CharField(label=_("What blocks the work"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, has_leader: bool = True, **kwargs) -> None:
        from countyworks.supervision.models import BlockerTo

        super().__init__(*args, **kwargs)
        choices = [c for c in BlockerTo.choices if has_leader or c[0] != BlockerTo.LEADER]
        self.fields["addressed_to"].choices = choices
        self.fields["addressed_to"].initial = choices[0][0]


class BlockerAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer or instruction"), widget=forms.Textarea(attrs={"rows": 2}))


class HeadReviewForm(forms.Form):
    """单位审签: the unit head passes a report on to the office or returns it."""

    APPROVE = "approve"
    RETURN = "return"

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve and send to the office")), (RETURN, _("Return to the reporter"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the report is returned."),
    )


class InstructionToItemForm(forms.Form):
    """The office turns a leader's instruction into a new work item of one of its plans."""

    plan = forms.ModelChoiceField(label=_("Plan"), queryset=None)
    title = forms.CharField(label=_("Task"), max_length=200, required=False)

    def __init__(self, *args, plans=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
