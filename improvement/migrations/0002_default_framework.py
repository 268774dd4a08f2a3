"""The default self-assessment framework (``improvement.framework``), created only if there is no
framework yet."""

from django.db import migrations

from improvement.framework import create_default_framework


def create(apps, schema_editor):
    create_default_framework(
        apps.get_model("improvement", "AssessmentFramework"),
        apps.get_model("improvement", "FrameworkArea"),
        apps.get_model("improvement", "JudgementLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
