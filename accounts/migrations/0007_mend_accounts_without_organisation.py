# Before the per-role organisation rule is added (0008): mend the accounts that break it where the
# data says what is missing, and switch off (and report) the rest. Never fails on existing data.
#
# - A CSA or GO director with no region: the region of the authorities they lead as CSA (when those
#   are all in one region), else the region of their authority; otherwise switched off.
# - A DCS with no authority: the one authority that names them as its DCS; otherwise switched off.
# - An LA officer with no authority, a provider adviser with no provider: switched off (nothing
#   says which organisation they belong to).
#
# Each account mended or switched off is printed and written to the audit log.

from django.db import migrations

REGION_ROLES = ("csa", "go_director")
AUTHORITY_ROLES = ("dcs", "la_officer")


def _report(AuditEvent, user, summary, details, out):
    out(f"  accounts: {summary}")
    AuditEvent.objects.create(
        action="account_changed",
        object_type="accounts.user",
        object_id=str(user.pk),
        summary=summary[:300],
        details={"migration": "0007_mend_accounts_without_organisation", **details},
    )


def _switch_off(AuditEvent, user, missing, out):
    user.is_active = False
    user.save(update_fields=["is_active"])
    _report(
        AuditEvent,
        user,
        f"Account {user.email} ({user.role}) has no {missing} and none could be found: switched off",
        {"fields": ["is_active"], "is_active": [True, False], "missing": missing},
        out,
    )


def mend(apps, schema_editor, out=print):
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    LocalAuthority = apps.get_model("authorities", "LocalAuthority")
    active = User.objects.filter(is_active=True)
    header_shown = False

    def say(line):
        nonlocal header_shown
        if not header_shown:
            out("\nAccounts without the organisation their role needs:")
            header_shown = True
        out(line)

    for user in active.filter(role__in=REGION_ROLES, region__isnull=True).order_by("pk"):
        led = set(LocalAuthority.objects.filter(csa_id=user.pk).values_list("region_id", flat=True))
        region_id = None
        if len(led) == 1:
            region_id, source = led.pop(), "the region of the authorities they lead"
        elif user.authority_id:
            region_id, source = LocalAuthority.objects.get(pk=user.authority_id).region_id, "their authority's region"
        if region_id is None:
            _switch_off(AuditEvent, user, "region", say)
            continue
        user.region_id = region_id
        user.save(update_fields=["region"])
        _report(
            AuditEvent,
            user,
            f"Account {user.email} ({user.role}) had no region: given region {region_id} ({source})",
            {"fields": ["region"], "region": [None, region_id]},
            say,
        )

    for user in active.filter(role__in=AUTHORITY_ROLES, authority__isnull=True).order_by("pk"):
        named = list(LocalAuthority.objects.filter(dcs_id=user.pk)) if user.role == "dcs" else []
        if len(named) != 1:
            _switch_off(AuditEvent, user, "authority", say)
            continue
        user.authority_id = named[0].pk
        user.region_id = user.region_id or named[0].region_id
        user.save(update_fields=["authority", "region"])
        _report(
            AuditEvent,
            user,
            f"Account {user.email} (dcs) had no authority: given {named[0].name}, which names them as its DCS",
            {"fields": ["authority"], "authority": [None, named[0].pk]},
            say,
        )

    for user in active.filter(role="provider_adviser", provider__isnull=True).order_by("pk"):
        _switch_off(AuditEvent, user, "provider", say)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_people_onboarding"),
        ("authorities", "0002_initial"),
    ]

    operations = [migrations.RunPython(mend, migrations.RunPython.noop)]
