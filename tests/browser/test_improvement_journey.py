"""Journey: the sector-led improvement cycle for one authority, clicked through by each person in their
own browser — Newcastle's officer writes the self-assessment and its DCS shares it; the North East's
regional lead (Sunderland's DCS) sets up the peer challenge and invites DCSs of Gateshead and Leeds,
who accept; Gateshead's DCS writes the findings; the lead sends them; Newcastle's DCS responds; the
lead issues the final letter, whose PDF the worker renders; Newcastle's CSA brokers a support package
from the framework list; once the provider's offer is accepted the DCS approves the support plan.
axe runs on every page visited."""

import re
from datetime import timedelta

import pytest

from tests.browser.conftest import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREAS = [
    ("Outcomes for children and young people", "Good", "Most indicators improved over three years."),
    ("Safeguarding", "Good", "Initial assessments are timely."),
    ("Leadership and management", "Good", "A clear plan with shared priorities."),
    ("Capacity to improve", "Good", "A stable senior team."),
    ("Use of resources", "Performs well", "Spend per child below comparators."),
]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Person:
    def __init__(self, new_page, base_url, email):
        self.base_url, self.email = base_url, email
        self.page = new_page()

    def sign_in(self):
        sign_in(self.page, self.base_url, self.email)
        assert self.page.locator("h1").inner_text() == "Your dashboard"
        axe_check(self.page)
        return self

    def go(self, path):
        self.page.goto(self.base_url + path)
        axe_check(self.page)

    def _click(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        axe_check(self.page)

    def nav(self, label):
        self._click(self.page.locator("#navigation").get_by_role("link", name=label, exact=True))

    def link(self, name, exact=False):
        self._click(self.page.locator("main").get_by_role("link", name=name, exact=exact).first)

    def button(self, name):
        self._click(self.page.locator("main").get_by_role("button", name=name, exact=True).first)

    def fill(self, label, value):
        self.page.get_by_label(label, exact=True).fill(value)

    def banner(self):
        return self.page.locator(".govuk-notification-banner").inner_text()

    def heading(self):
        return self.page.locator("h1").inner_text()

    def main(self):
        return self.page.locator("main").inner_text()


class HeldRenders:
    """Holds the letter render that issuing queues, so the page can be seen while the PDF is being
    prepared; ``run()`` then does what the worker would."""

    def __init__(self, monkeypatch):
        self.ids = []
        monkeypatch.setattr("improvement.services.challenge.queue_letter_render", self.ids.append)

    def run(self):
        from improvement.tasks import render_letter_pdf

        assert self.ids, "Issuing the letter queued no render"
        for pk in self.ids:
            render_letter_pdf.delay(pk)


def _world():
    from improvement.framework import ensure_default_framework
    from improvement.models import FrameworkProvider
    from tests.conftest import build_world
    from tests.improvement.factories import authority_with_dcs, dcs_of, make_lead

    world = build_world()
    ensure_default_framework()
    dcs_of(world.gateshead, email="dcs@gateshead.example.gov.uk", full_name="Grace Hallam")
    lead = authority_with_dcs(
        "Sunderland", "E08000024", world.ne, email="dcs@sunderland.example.gov.uk", full_name="Sunil Reddy"
    )[1]
    make_lead(lead)
    FrameworkProvider.objects.create(provider=world.tfc, services="Children's centres and early help")
    return world


def test_the_sector_led_improvement_cycle(new_page, live_server, settings, tmp_path, monkeypatch):
    from core.working_days import london_date
    from improvement.models import PeerChallenge, ReciprocityEntry, SelfAssessment
    from plans import services as plan_services
    from plans.models import JISP, Offer

    settings.MEDIA_ROOT = tmp_path / "media"
    world = _world()
    renders = HeldRenders(monkeypatch)
    base = live_server.url
    today = london_date()

    # --- Newcastle's officer writes the self-assessment ------------------------------------------
    officer = Person(new_page, base, "officer@example.gov.uk").sign_in()
    officer.nav("Improvement")
    officer.link("Start the self-assessment")
    officer.button("Start the self-assessment")
    assert "has been started" in officer.banner()
    assert "Only Newcastle upon Tyne's Director of Children's Services and officers" in officer.main()
    for area, judgement, evidence in AREAS:
        officer.link(f"Change {area}")
        assert officer.heading() == area
        officer.page.get_by_label(judgement, exact=True).check()
        officer.fill("Evidence", evidence)
        officer.button("Save this area")
        assert f"“{area}” has been saved" in officer.banner()
    officer.link("Write the overall self-evaluation")
    officer.fill("Overall self-evaluation", "We know our services well; demand on social care is the main risk.")
    officer.button("Save the self-evaluation")
    officer.link("Add evidence")
    officer.fill("What the document shows", "Case file audit, autumn")
    officer.page.get_by_label("Area it is evidence for").select_option(label="Safeguarding")
    officer.page.get_by_label("Document", exact=True).set_input_files(
        {"name": "audit.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    officer.button("Upload the document")
    assert "“Case file audit, autumn” has been uploaded" in officer.banner()
    assert "Share for peer challenge" not in officer.main()  # the DCS shares it

    # --- the DCS shares it ----------------------------------------------------------------------
    dcs = Person(new_page, base, "dcs@example.gov.uk").sign_in()
    dcs.nav("Improvement")
    dcs.link(re.compile(r"^Newcastle upon Tyne self-assessment"))
    dcs.button("Share for peer challenge")
    dcs.button("Share for peer challenge")
    assert "shared for peer challenge" in dcs.banner()

    # --- the regional lead sets up the peer challenge and invites the team --------------------------
    lead = Person(new_page, base, "dcs@sunderland.example.gov.uk").sign_in()
    assert "Self-assessments shared for peer challenge" in lead.main()
    lead.link(re.compile(r"^Newcastle upon Tyne self-assessment"))
    lead.button("Set up a peer challenge")
    lead.fill("First day on site", today.strftime("%d/%m/%Y"))
    lead.fill("Last day on site", (today + timedelta(days=1)).strftime("%d/%m/%Y"))
    lead.fill("What the challenge focuses on", "Is safeguarding practice as good as its timeliness?")
    lead.button("Set up the peer challenge")
    assert "Now invite the team" in lead.banner()
    challenge_url = lead.page.url
    lead.button("Invite someone to the team")
    conflicts = lead.page.get_by_role("table").inner_text()
    assert "No: they are from Newcastle upon Tyne, the authority being challenged" in conflicts
    gateshead_dcs = world.gateshead.dcs
    assert (
        "Grace Hallam, DCS, Gateshead (0 of 5 days given in" in lead.page.get_by_label("Person to invite").inner_text()
    )
    lead.page.get_by_label("Person to invite").select_option(value=str(gateshead_dcs.pk))
    lead.button("Send the invitation")
    assert "Grace Hallam has been invited to the team" in lead.banner()
    lead.button("Invite someone to the team")
    lead.page.get_by_label("Show people from").select_option(label="Yorkshire and the Humber")
    lead.button("Show")
    lead.page.get_by_label("Person to invite").select_option(value=str(world.dcs_other.pk))
    lead.button("Send the invitation")

    # --- both accept ------------------------------------------------------------------------------
    gateshead = Person(new_page, base, "dcs@gateshead.example.gov.uk").sign_in()
    assert "Invitations to join a peer challenge team" in gateshead.main()
    gateshead.link("Peer challenge of Newcastle upon Tyne")
    gateshead.page.get_by_label("Yes, I will join the team").check()
    gateshead.button("Send your answer")
    assert "You have joined the team" in gateshead.banner()
    leeds = Person(new_page, base, "dcs.leeds@example.gov.uk").sign_in()
    leeds.link("Peer challenge of Newcastle upon Tyne")
    leeds.page.get_by_label("Yes, I will join the team").check()
    leeds.button("Send your answer")

    # --- the team writes its findings ----------------------------------------------------------------
    gateshead.page.reload()
    for area, judgement, _ in AREAS:
        gateshead.link(f"Write the finding on {area}")
        if area == "Safeguarding":
            gateshead.page.get_by_label("Satisfactory", exact=True).check()
            gateshead.fill("Strengths", "Committed front-line staff")
            gateshead.fill(
                "Areas for improvement", "Case file audits do not drive practice\nSupervision is not recorded"
            )
            gateshead.button("Save the finding")
            assert "Give the reasons for the team's judgement" in gateshead.main()
            gateshead.fill("Reasons for the judgement", "The case files show variable practice.")
        else:
            gateshead.page.get_by_label(judgement, exact=True).check()
            gateshead.fill("Strengths", f"Strong {area.lower()}")
        gateshead.button("Save the finding")
        assert "has been saved" in gateshead.banner()
    assert "Differs" in gateshead.main()

    # --- the lead sends the findings; the clock starts ------------------------------------------------
    lead.page.goto(challenge_url)
    lead.button("Send the findings")
    lead.button("Send the findings")
    assert "Their response is due by" in lead.banner()
    assert {e.giving_authority.name for e in ReciprocityEntry.objects.select_related("giving_authority")} == {
        "Gateshead",
        "Leeds",
    }

    # --- Newcastle's DCS responds -------------------------------------------------------------------
    dcs.go("/")
    assert "Peer challenge findings awaiting your response" in dcs.main()
    dcs.link("Peer challenge of Newcastle upon Tyne")
    assert "The case files show variable practice." in dcs.main()
    dcs.button("Respond to the findings")
    dcs.fill("The authority's response", "We accept the findings and will make audits drive practice.")
    dcs.fill("Your response on Safeguarding (optional)", "Our audit programme starts next month.")
    dcs.button("Send the response")
    assert "Your response has been sent" in dcs.banner()

    # --- the lead issues the letter; the worker renders its PDF ------------------------------------------
    lead.page.goto(challenge_url)
    lead.button("Write and issue the final letter")
    assert (
        "Safeguarding: satisfactory (your self-assessment: good)" in lead.page.get_by_label("The letter").input_value()
    )
    lead.button("Issue the letter")
    assert "Its PDF is being prepared" in lead.banner()
    assert "The letter's PDF is being prepared" in lead.main()
    renders.run()
    lead.page.reload()
    axe_check(lead.page)
    with lead.page.expect_download() as download_info:
        lead.page.get_by_role("link", name="Download the letter (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # --- the CSA brokers a support package ----------------------------------------------------------
    csa = Person(new_page, base, "csa@example.gov.uk").sign_in()
    csa.link("Broker support for Newcastle upon Tyne")
    choice = csa.page.locator("input[name=choices]")
    assert choice.count() == 1
    assert choice.is_checked()
    assert "Safeguarding (Satisfactory): Case file audits do not drive practice" in csa.main()
    csa.page.get_by_label("Together for Children", exact=True).check()
    csa.button("Broker the support package")
    assert "The support package has been brokered" in csa.banner()
    assert "Case file audits do not drive practice" in csa.main()
    plan = JISP.objects.get(authority=world.newcastle, brokerage__isnull=False)

    # The provider offers and the CSA accepts through the plans pages (their own journey tests them).
    offer = Offer.objects.get(priority__jisp=plan)
    plan_services.submit_offer(
        actor=world.provider,
        offer=offer,
        data={"description": "By March, 4 days of audit support", "deliver_by": today + timedelta(days=60), "days": 4},
    )
    plan_services.accept_offer(actor=world.csa, offer=offer)
    plan_services.send_to_authority(actor=world.csa, jisp=plan)
    plan_services.send_for_approval(actor=world.csa, jisp=plan)

    # --- the DCS approves the support plan: the package is agreed ----------------------------------------
    dcs.go(challenge_url.replace(base, ""))
    dcs.link(re.compile(r"^Support package"))
    brokerage_url = dcs.page.url
    dcs.link(re.compile(r"JISP"))
    dcs.button("Approve the plan")
    dcs.page.get_by_label(re.compile("I approve version 1 of the Newcastle upon Tyne")).check()
    dcs.button("Approve the plan")
    assert "You have approved version 1 of the plan" in dcs.banner()
    dcs.page.goto(brokerage_url)
    axe_check(dcs.page)
    assert "Agreed: approved by Sam Okafor" in dcs.main()

    assert SelfAssessment.objects.get().status == SelfAssessment.Status.SHARED
    assert PeerChallenge.objects.get().status == PeerChallenge.Status.LETTER_ISSUED
