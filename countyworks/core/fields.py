"""Form fields shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AsciiIntegerField(forms.IntegerField):
    """An integer written with 0–9 only.

    Python's int() reads Arabic-Indic or full-width digits ("٢٠٢٣" is 2023), so Django's IntegerField
    accepts them and a year typed that way is stored as if it were plain; refuse it instead (issue 14)."""

    default_error_messages = {"invalid": _("Enter a whole number written with the digits 0–9.")}

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and not value.strip().lstrip("+-").isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
