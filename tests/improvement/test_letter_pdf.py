"""The final letter as a PDF: what it says, user text escaped, and the download."""

import io

import pytest
from pypdf import PdfReader

from improvement.models import PeerChallenge
from improvement.pdf import render_letter_pdf_bytes
from improvement.services import publish_letter_pdf
from tests.improvement import factories as f

pytestmark = pytest.mark.django_db


def text_of(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def challenge(world):
    lead = f.make_lead(world.admin)
    challenge = f.challenge(
        f.self_assessment(world.newcastle, shared=True), lead, status=PeerChallenge.Status.RESPONDED
    )
    f.member(challenge, f.dcs_of(world.gateshead, full_name="Grace Hallam"))
    findings = f.findings(challenge, rank=3)
    findings[1].reasons = "Assessments vary <script>alert(1)</script>"
    findings[1].save()
    challenge.status = PeerChallenge.Status.LETTER_ISSUED
    challenge.letter = "Dear Sam,\n\nThank you for the openness of your self-assessment."
    challenge.letter_issued_by = lead
    challenge.response = "We accept the findings."
    challenge.responded_by = world.dcs
    challenge.save()
    return challenge


def test_the_letter_holds_the_findings_the_response_and_the_team(world, challenge):
    text = text_of(render_letter_pdf_bytes(challenge))
    assert "Peer challenge of Newcastle upon Tyne children's services" in text
    assert "Thank you for the openness of your self-assessment." in text
    assert "Satisfactory (differs)" in text  # the team's judgement against the authority's Good
    assert "Audits do not drive practice" in text
    assert "We accept the findings." in text
    assert "Grace Hallam" in text
    assert "Gateshead" in text
    assert "Assessments vary <script>alert(1)</script>" in text  # shown as text, never run


def test_published_once_and_downloaded_by_those_who_see_it(world, challenge, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = publish_letter_pdf(challenge_id=challenge.pk)
    name, sha = first.letter_pdf.name, first.letter_pdf_sha256
    again = publish_letter_pdf(challenge_id=challenge.pk)
    assert (again.letter_pdf.name, again.letter_pdf_sha256) == (name, sha)
    client.force_login(world.go_director)
    response = client.get(f"/improvement/peer-challenges/{challenge.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "peer-challenge-letter-newcastle-upon-tyne-2026-11.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(world.go_director_other)
    assert client.get(f"/improvement/peer-challenges/{challenge.pk}/letter.pdf").status_code == 404
