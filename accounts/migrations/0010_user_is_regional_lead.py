from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_user_reminder_emails"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_regional_lead",
            field=models.BooleanField(
                default=False,
                help_text="A DCS or an administrator who sets up peer challenges in their region "
                "(an administrator without a region: in every region). Appointed on the regional leads page.",
                verbose_name="regional lead for sector-led improvement",
            ),
        ),
    ]
