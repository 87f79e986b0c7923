"""Every form is drawn by the site's one layout: label above the field, errors beside it (issue 12)."""

from django import forms


class Sample(forms.Form):
    name = forms.CharField(label="名称", help_text="说明")


def test_a_form_draws_label_then_field_then_errors_then_help():
    html = str(Sample(data={"name": ""}))
    assert 'class="field has-error' in html
    label, field, errors, help_text = (html.index(s) for s in ("<label", "<input", "field-errors", "说明"))
    assert label < field < errors < help_text
    assert 'class="form-errors"' not in html  # no form-wide error here


def test_a_valid_form_has_no_error_block():
    html = str(Sample(initial={"name": "x"}))
    assert "field-errors" not in html and 'class="field"' in html
