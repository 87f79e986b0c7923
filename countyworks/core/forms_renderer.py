"""One form layout for the whole site (issue 12): `{{ form }}` and `{{ field.as_field_group }}` draw
every field with its label above, its errors beside it and its help under it."""

from django.forms.renderers import DjangoTemplates


class SiteFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"
