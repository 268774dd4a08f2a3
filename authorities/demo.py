"""Demo data for authorities: Newcastle's support status and the North East forum (its partners:
``providers.demo``)."""

from .models import LocalAuthority, Region, RegionalForum


def seed(users, stdout):
    LocalAuthority.objects.filter(name="Newcastle upon Tyne").update(
        support_status=LocalAuthority.SupportStatus.PERFORMANCE_RISK
    )
    LocalAuthority.objects.filter(name="Leeds").update(support_status=LocalAuthority.SupportStatus.INTERVENTION)
    north_east = Region.objects.get(slug="north-east")
    forum, _ = RegionalForum.objects.update_or_create(
        region=north_east,
        name="North East Regional Children and Young People's Forum",
        defaults={"chair": users["director@demo.test"]},
    )
    forum.members.set(
        [users[e] for e in ("director@demo.test", "csa@demo.test", "dcs@demo.test", "provider@demo.test")]
    )
    stdout.write("Forum: North East Regional Children and Young People's Forum")
