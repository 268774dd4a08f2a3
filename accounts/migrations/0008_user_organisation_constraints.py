# The per-role organisation rule on accounts, added after 0007 has mended (or switched off and
# reported) the accounts that broke it, so the migration never fails on existing data.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_mend_accounts_without_organisation'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_active', False), models.Q(('role__in', ['csa', 'go_director']), _negated=True), ('region__isnull', False), _connector='OR'), name='user_role_needs_region'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_active', False), models.Q(('role__in', ['dcs', 'la_officer']), _negated=True), ('authority__isnull', False), _connector='OR'), name='user_role_needs_authority'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_active', False), models.Q(('role__in', ['provider_adviser']), _negated=True), ('provider__isnull', False), _connector='OR'), name='user_role_needs_provider'),
        ),
    ]
