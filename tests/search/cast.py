"""What the permission matrix's cast may find: a word of its own in each kind and state, and the
roles of ``tests.conftest.ROLES`` who must find it (everyone else must not).

Built on ``world`` with factories, then indexed with ``search.index.rebuild``.
"""

from datetime import date, datetime

from core.working_days import LONDON
from meetings.models import MeetingNote, NoteJudgement
from plans.models import JISP, GoodPractice, Offer, OfferEvent
from search.index import rebuild
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

GO_NE = {"csa", "go_director"}
NEWCASTLE = {"dcs", "la_officer"}
GO_YH = {"csa_other", "go_director_other"}
SIGNED_IN = {
    "csa",
    "csa_other",
    "go_director",
    "go_director_other",
    "dcs",
    "dcs_other",
    "la_officer",
    "provider",
    "provider_other",
    "national",
    "admin",
}

#: word → (the kind of result it is in, what it is, the roles who find it there)
FINDS = {
    # plans: a draft plan is its authority's and its region's GO staff's
    "quokka": ("plan", "Newcastle's draft plan: a priority", GO_NE | NEWCASTLE | {"admin"}),
    "tapir": ("plan", "Newcastle's draft plan: a need", GO_NE | NEWCASTLE | {"admin"}),
    "gecko": ("plan", "Newcastle's draft plan: good practice", GO_NE | NEWCASTLE | {"admin"}),
    # an approved plan: national analysts and the provider with an accepted offer in it too
    "wombat": ("plan", "Leeds' approved plan", GO_YH | {"dcs_other", "national", "provider", "admin"}),
    # offers
    "ocelot": ("offer", "TfC's accepted offer to Leeds", GO_YH | {"dcs_other", "national", "provider", "admin"}),
    "pangolin": ("offer", "National Strategies' invited offer, a draft", GO_NE | {"provider_other", "admin"}),
    "axolotl": ("offer", "TfC's revision of a challenged offer, not resubmitted", GO_NE | {"provider", "admin"}),
    "narwhal": ("offer", "TfC's challenged offer as submitted", GO_NE | NEWCASTLE | {"provider", "admin"}),
    "okapi": ("offer", "TfC's submitted offer: its notes", GO_NE | NEWCASTLE | {"provider", "admin"}),
    # meeting notes
    "platypus": ("note", "a draft note not yet circulated", {"csa"}),
    "chinchilla": ("note", "a circulated draft note", GO_NE | NEWCASTLE),
    "capybara": ("note", "a circulated note's judgement", GO_NE | NEWCASTLE),
    "kestrel": ("note", "a final note sent", GO_NE | NEWCASTLE),
    "heron": ("note", "a final note written but not sent", set()),
    # meetings
    "meerkat": ("meeting", "a Newcastle meeting's purpose", GO_NE | NEWCASTLE),
    "marmoset": ("meeting", "a Leeds meeting's agenda", GO_YH | {"dcs_other"}),
    # reference data
    "gateshead": ("authority", "an authority", SIGNED_IN),
    "strategies": ("provider", "a provider", SIGNED_IN),
}


def build(w):
    """The objects the words are in; returns them by name."""
    o = {}
    draft = JISPFactory(authority=w.newcastle, period="2010-11", csa=w.csa)
    priority = PriorityFactory(jisp=draft, title="Quokka safeguarding thresholds", description="")
    NeedFactory(priority=priority, description="A tapir multi-agency audit of referrals")
    GoodPractice.objects.create(jisp=draft, area="Early help", description="A gecko hub for families")
    approved = JISPFactory(authority=w.leeds, period="2010-11", csa=w.csa_other, status=JISP.Status.APPROVED)
    leeds_priority = PriorityFactory(jisp=approved, title="Fostering sufficiency", description="Wombat recruitment")
    o["accepted"] = OfferFactory(
        priority=leeds_priority, provider=w.tfc, status=Offer.Status.ACCEPTED, description="Ocelot coaching"
    )
    o["invited"] = OfferFactory(
        priority=priority, provider=w.ns, status=Offer.Status.INVITED, description="Pangolin phonics, not sent yet"
    )
    o["challenged"] = OfferFactory(
        priority=priority,
        provider=w.tfc,
        status=Offer.Status.CHALLENGED,
        description="Axolotl apprenticeships for social workers",
        submitted_at=datetime(2010, 6, 1, 10, 0, tzinfo=LONDON),
    )
    OfferEvent.objects.create(offer=o["challenged"], kind=OfferEvent.Kind.SUBMITTED, description="Narwhal mentoring")
    second = PriorityFactory(jisp=draft, title="Workforce", description="")
    o["submitted"] = OfferFactory(
        priority=second,
        provider=w.tfc,
        status=Offer.Status.SUBMITTED,
        description="Training for team managers",
        notes="Okapi days in the spring term",
        submitted_at=datetime(2010, 6, 1, 10, 0, tzinfo=LONDON),
    )
    o["plan"], o["approved"] = draft, approved

    kit = meeting_for(w, title="Keeping in touch", purpose="Meerkat permanence planning")
    o["awaiting"] = MeetingNoteFactory(
        meeting=kit, author=w.csa, draft="Platypus caseloads", draft_due=date(2026, 3, 9)
    )
    held = meeting_for(w, title="Standards meeting", starts_at=datetime(2026, 2, 2, 10, 0, tzinfo=LONDON))
    o["circulated"] = MeetingNoteFactory(
        meeting=held,
        author=w.csa,
        status=MeetingNote.Status.DRAFT_CIRCULATED,
        draft="Chinchilla leadership is strong",
        draft_due=date(2026, 2, 9),
        response_due=date(2026, 2, 16),
    )
    NoteJudgement.objects.create(
        note=o["circulated"], area="Capybara leadership", performance_rating="good", risk="low"
    )
    final = meeting_for(w, title="Visit", starts_at=datetime(2026, 1, 5, 10, 0, tzinfo=LONDON))
    o["final"] = MeetingNoteFactory(
        meeting=final,
        author=w.csa,
        status=MeetingNote.Status.FINAL_SENT,
        draft="The draft",
        final="Kestrel outcomes agreed",
        draft_due=date(2026, 1, 12),
    )
    responded = meeting_for(w, title="Strategic engagement", starts_at=datetime(2026, 1, 6, 10, 0, tzinfo=LONDON))
    o["responded"] = MeetingNoteFactory(
        meeting=responded,
        author=w.csa,
        status=MeetingNote.Status.COMMENTS_RECEIVED,
        draft="Another draft",
        final="Heron wording still being written",
        draft_due=date(2026, 1, 13),
    )
    o["leeds_meeting"] = meeting_for(w, authority=w.leeds, organiser=w.csa_other, agenda="1. Marmoset placements")
    rebuild()
    return o
