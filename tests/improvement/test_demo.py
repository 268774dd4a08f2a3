"""seed_demo's sector-led improvement: the full cycle for Newcastle upon Tyne, idempotently."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from core.working_days import add_working_days, london_date
from improvement.models import Brokerage, PeerChallenge, PeerChallengeMember, ReciprocityEntry, SelfAssessment
from plans.models import JISP, Offer

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_whole_cycle_once(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_reference", stdout=io.StringIO())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    assert "Newcastle upon Tyne sector-led improvement" in out.getvalue()

    sa = SelfAssessment.objects.get(authority__name="Newcastle upon Tyne")
    assert sa.status == SelfAssessment.Status.SHARED
    assert sa.evidence.count() == 1
    assert sa.profile.exists()
    challenge = PeerChallenge.objects.get(self_assessment=sa)
    assert challenge.status == PeerChallenge.Status.LETTER_ISSUED
    assert challenge.response
    team = set(
        challenge.members.filter(status=PeerChallengeMember.Status.ACCEPTED).values_list("authority__name", flat=True)
    )
    assert team == {"Gateshead", "Sunderland"}
    assert challenge.findings.count() == sa.framework.areas.count()
    assert challenge.letter_pdf
    assert len(challenge.letter_pdf_sha256) == 64
    assert ReciprocityEntry.objects.filter(peer_challenge=challenge).count() == 2
    brokerage = Brokerage.objects.get(peer_challenge=challenge)
    plan = brokerage.support_plan
    assert plan.status == JISP.Status.APPROVED
    assert plan.pdf
    assert brokerage.broker.email == "csa@demo.test"
    assert set(Offer.objects.filter(priority__jisp=plan).values_list("status", flat=True)) == {Offer.Status.ACCEPTED}
    assert User.objects.get(email="dcs.sunderland@demo.test").is_regional_lead

    counts = (
        SelfAssessment.objects.count(),
        PeerChallenge.objects.count(),
        Brokerage.objects.count(),
        JISP.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True) as again:
        call_command("seed_demo", stdout=io.StringIO())
    assert (
        SelfAssessment.objects.count(),
        PeerChallenge.objects.count(),
        Brokerage.objects.count(),
        JISP.objects.count(),
    ) == counts
    assert again == []

    # Gateshead's peer challenge is under way: the findings were sent 2 working days ago.
    gateshead = PeerChallenge.objects.get(authority__name="Gateshead")
    assert gateshead.status == PeerChallenge.Status.FINDINGS_SENT
    assert add_working_days(london_date(), 3) == gateshead.response_due
    for email, text in [
        ("dcs.sunderland@demo.test", "Peer challenges you lead"),
        ("dcs.gateshead@demo.test", "Peer challenge findings awaiting your response"),
        ("dcs.leeds@demo.test", "Peer challenges you are on"),
        ("dcs@demo.test", "Your self-assessment"),
    ]:
        client.force_login(User.objects.get(email=email))
        assert text in client.get("/improvement/").content.decode(), email
