"""Evidence is private by default and addressed publicly by a random token (issue 14)."""

import uuid

from django.db import migrations, models


def give_tokens(apps, schema_editor):
    # Each existing row needs its own token before the column can be unique.
    Evidence = apps.get_model("supervision", "Evidence")
    for evidence in Evidence.objects.only("pk").iterator():
        Evidence.objects.filter(pk=evidence.pk).update(token=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_progressreport_entered_by_office")]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="public",
            field=models.BooleanField(default=False, verbose_name="may be shown publicly"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="token",
            field=models.UUIDField(editable=False, null=True, verbose_name="public token"),
        ),
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="public token"),
        ),
    ]
