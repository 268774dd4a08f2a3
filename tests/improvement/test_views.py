"""Improvement pages as people use them: what each sees, the forms' errors, stale saves, the
findings released by state, dashboards and the authority page, and query counts that do not grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement.models import PeerChallenge, PeerChallengeMember, SelfAssessment
from tests.authorities.factories import LocalAuthorityFactory
from tests.improvement import factories as f

pytestmark = pytest.mark.django_db
S = PeerChallenge.Status


def page(client, user, url, data=None, method="get"):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response, response.content.decode()


def test_a_dcs_starts_writes_and_shares_the_self_assessment(world, client):
    response, _ = page(client, world.dcs, "/improvement/self-assessments/start/", {"year": "2026-27"}, "post")
    sa = SelfAssessment.objects.get()
    assert response["Location"] == f"/improvement/self-assessments/{sa.pk}/"
    _, html = page(client, world.dcs, response["Location"])
    assert "Only Newcastle upon Tyne's Director of Children's Services and officers" in html
    assert "Share for peer challenge" in html

    _, html = page(client, world.dcs, f"/improvement/self-assessments/{sa.pk}/share/", method="post")
    assert "There is a problem" in html
    assert "Write the overall self-evaluation" in html
    assert SelfAssessment.objects.get().status == SelfAssessment.Status.DRAFT

    answer = sa.answers.order_by("area__order").first()
    response, html = page(
        client,
        world.la_officer,
        f"/improvement/self-assessments/areas/{answer.pk}/",
        {"judgement": "999", "evidence": "x", "lock_version": 0},
        "post",
    )
    assert response.status_code == 200
    assert "Select a judgement from the scale" in html


def test_a_stale_save_keeps_the_text_and_shows_the_latest(world, client):
    sa = f.self_assessment(world.newcastle)
    answer = sa.answers.order_by("area__order").first()
    url = f"/improvement/self-assessments/areas/{answer.pk}/"
    page(
        client,
        world.dcs,
        url,
        {"judgement": f.level(answer.area, 1).pk, "evidence": "First", "lock_version": 0},
        "post",
    )
    response, html = page(
        client,
        world.la_officer,
        url,
        {"judgement": f.level(answer.area, 3).pk, "evidence": "Mine", "lock_version": 0},
        "post",
    )
    assert response.status_code == 200
    assert "Nothing was saved" in html
    assert "Mine" in html
    assert "The latest saved version" in html
    assert "First" in html
    answer.refresh_from_db()
    assert answer.evidence == "First"


def test_the_team_sees_findings_as_written_the_authority_once_sent(world, client):
    lead = f.make_lead(world.admin)
    challenge = f.challenge(f.self_assessment(world.newcastle, shared=True), lead)
    f.member(challenge, world.dcs_other)
    f.findings(challenge)
    url = challenge.get_absolute_url()
    _, team = page(client, world.dcs_other, url)
    assert "Strengths in Safeguarding" in team
    assert "Change the finding" in team
    _, authority = page(client, world.dcs, url)
    assert "Strengths in Safeguarding" not in authority
    assert "shared with Newcastle upon Tyne when the regional lead sends them" in authority
    challenge.status, challenge.response_due = S.FINDINGS_SENT, date(2026, 12, 9)
    challenge.save()
    _, authority = page(client, world.dcs, url)
    assert "Strengths in Safeguarding" in authority
    assert "Respond to the findings" in authority
    assert "The authority's response is due by 9 December 2026" in authority
    _, team = page(client, world.dcs_other, url)
    assert "Change the finding" not in team


def test_invite_page_lists_people_with_their_ledger_and_conflicts(world, client):
    lead = f.make_lead(world.admin)
    challenge = f.challenge(f.self_assessment(world.newcastle, shared=True), lead)
    gateshead_dcs = f.dcs_of(world.gateshead, full_name="Grace Hallam")
    f.entry(gateshead_dcs, world.gateshead, world.leeds, 6)
    _, html = page(client, lead, f"/improvement/peer-challenges/{challenge.pk}/team/invite/")
    table = html.split("<table")[1]
    assert "Grace Hallam" in table
    assert ">6<" in table.replace(" ", "")
    assert "No: they are from Newcastle upon Tyne, the authority being challenged" in table
    options = html.split('name="user"')[1].split("</select>")[0]
    assert "Grace Hallam, DCS, Gateshead (6 of 5 days given in 2026-27)" in options
    assert world.dcs.full_name not in options
    sunderland_dcs = f.authority_with_dcs("Sunderland", "E08000024", world.ne, full_name="Sunil Reddy")[1]
    _, html = page(client, lead, f"/improvement/peer-challenges/{challenge.pk}/team/invite/")
    options = html.split('name="user"')[1].split("</select>")[0]
    assert options.index("Sunil Reddy") < options.index("Grace Hallam")  # who has given fewer days first
    assert sunderland_dcs.full_name in html.split("<tbody")[1].split("</tr>")[0]

    response, _ = page(
        client,
        lead,
        f"/improvement/peer-challenges/{challenge.pk}/team/invite/",
        {"user": gateshead_dcs.pk, "days": "2.5"},
        "post",
    )
    assert response.status_code == 302
    member = PeerChallengeMember.objects.get()
    assert member.days == 2.5
    assert member.user == gateshead_dcs


def test_the_dashboards_show_what_waits(world, client):
    lead = f.make_lead(world.admin)
    challenge = f.challenge(
        f.self_assessment(world.newcastle, shared=True), lead, status=S.FINDINGS_SENT, response_due=date(2099, 1, 5)
    )
    f.member(challenge, world.dcs_other, status=PeerChallengeMember.Status.INVITED)
    _, html = page(client, world.dcs, "/")
    assert "Peer challenge findings awaiting your response" in html
    _, html = page(client, world.dcs_other, "/")
    assert "Your authority has no self-assessment for" in html
    issued = f.challenge(
        f.self_assessment(world.newcastle, year="2025-26", shared=True),
        lead,
        status=S.LETTER_ISSUED,
        starts_on=date(2025, 10, 6),
        ends_on=date(2025, 10, 7),
    )
    _, html = page(client, world.csa, "/")
    assert f"/improvement/brokerage/new/?challenge={issued.pk}" in html
    _, html = page(client, world.provider, "/")
    assert "Sector-led improvement" not in html


def test_the_authority_page_shows_what_the_user_may_see(world, client):
    f.self_assessment(world.newcastle)
    f.inspection(world.newcastle)
    _, html = page(client, world.dcs, world.newcastle.get_absolute_url())
    assert "Self-assessment 2026-27" in html
    assert "Inspection of safeguarding" in html
    _, html = page(client, world.dcs_other, world.newcastle.get_absolute_url())
    assert "Self-assessment 2026-27" not in html
    assert "Inspection of safeguarding" in html


def test_the_hub_and_the_ledger_take_the_same_queries_as_rows_grow(world, client):
    lead = f.make_lead(world.admin)
    client.force_login(lead)

    def add(n, start):
        for i in range(start, start + n):
            authority = LocalAuthorityFactory(name=f"Authority {i}", gss_code=f"E07{i:06d}", region=world.ne)
            dcs = f.dcs_of(authority)
            challenge = f.challenge(f.self_assessment(authority, shared=True), lead)
            f.member(challenge, world.dcs_other)
            f.entry(dcs, authority, world.leeds, 2)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2, 0)
    few = (count("/improvement/"), count("/improvement/ledger/"), count("/improvement/overview/"))
    add(6, 2)
    assert (count("/improvement/"), count("/improvement/ledger/"), count("/improvement/overview/")) == few
