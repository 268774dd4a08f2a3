"""Calendar feed tokens are stored as their SHA-256 hash (ASVS 8.3.1, 13.1.3). Existing tokens are
hashed in place, so calendars subscribed to an existing address keep working; the address itself can
no longer be shown: the settings page asks the user to replace it to see a new one."""

import hashlib

from django.db import migrations, models


def hash_existing(apps, schema_editor):
    ICalToken = apps.get_model("meetings", "ICalToken")
    for row in ICalToken.objects.all().only("pk", "token"):
        row.token_hash = hashlib.sha256(row.token.encode()).hexdigest()
        row.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_protocol_clocks"),
    ]

    operations = [
        migrations.AddField(
            model_name="icaltoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="icaltoken", name="token"),
        migrations.AlterField(
            model_name="icaltoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
