"""The channel form: the administrator's (Django admin) and the unit's own (消息渠道 screen).
Secrets are typed in, stored encrypted (notify/crypto.py) and never shown again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from countyworks.notify import crypto
from countyworks.notify.models import Channel, Event, Platform


class ChannelForm(forms.ModelForm):
    token = forms.CharField(
        label=_("key / access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "WeCom: the key= of the webhook address; DingTalk: its access_token. Leave empty to keep."
        ),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk robots with signing (SEC…). Leave empty to keep."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Channel
        fields = ["name", "unit", "leader", "platform", "keyword", "email_to", "markdown", "events", "active"]

    def save(self, commit: bool = True) -> Channel:
        channel = super().save(commit=False)
        if self.cleaned_data.get("token"):
            channel.token_encrypted = crypto.encrypt(self.cleaned_data["token"])
        if self.cleaned_data.get("secret"):
            channel.secret_encrypted = crypto.encrypt(self.cleaned_data["secret"])
        if commit:
            channel.save()
        return channel


class OwnChannelForm(ChannelForm):
    """A unit (or a leader) sets up its own channels: the owner comes from the account, not the form."""

    class Meta(ChannelForm.Meta):
        fields = ["name", "platform", "keyword", "email_to", "markdown", "events", "active"]

    def clean(self) -> dict:
        data = super().clean()
        platform = data.get("platform")
        has_token = bool(data.get("token")) or bool(self.instance.token_encrypted)
        if platform in (Platform.WECOM, Platform.DINGTALK) and not has_token:
            self.add_error("token", _("A robot needs its key or access token."))
        if platform == Platform.EMAIL and not data.get("email_to"):
            self.add_error("email_to", _("An e-mail channel needs an address."))
        if not data.get("events"):
            self.add_error("events", _("Choose at least one event."))
        return data
