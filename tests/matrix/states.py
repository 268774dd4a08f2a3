"""The state of the object as a dimension of the matrix: the same pages for a meeting note awaiting
its draft, circulated and final; an offer invited, challenged with an unsubmitted revision, and
submitted; a plan in draft, with the authority and approved. Each case checks what the page shows,
not only its status: a note's draft and judgements only to its writers until circulated
(``meetings.read_note``), a provider's unsubmitted revision only to the provider (``OfferDraft``)."""

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from core.working_days import LONDON
from meetings.models import Meeting, MeetingNote, NoteComment, NoteJudgement
from plans.models import JISP, Offer, OfferDraft
from tests.matrix import Case
from tests.matrix.plans_offers import INVITED_VIEWERS, SUBMITTED_VIEWERS, build_offer, see
from tests.matrix.plans_workflow import build_plan
from tests.meetings.factories import MeetingNoteFactory, meeting_for

N = MeetingNote.Status
O = Offer.Status  # noqa: E741
S = JISP.Status

# --- meeting notes --------------------------------------------------------------------------------

DRAFT = "Leadership of safeguarding is weak"
JUDGEMENT = "Safeguarding leadership"
FINAL = "Agreed: leadership of safeguarding needs support"
FAR = date(2099, 1, 2)
#: Who sees the Newcastle meeting (everyone else: 404).
VIEWERS = ("csa", "go_director", "dcs", "la_officer")
AUTHORITY = ("dcs", "la_officer")


def note_in(status):
    def setup(w):
        meeting = meeting_for(w, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
        fields = {"draft": DRAFT, "draft_due": FAR, "officer_concerned": w.la_officer}
        if status != N.AWAITING_DRAFT:
            fields.update(
                draft_due=date(2026, 3, 9),
                draft_circulated_at=datetime(2026, 3, 6, 12, 0, tzinfo=LONDON),
                response_due=FAR,
            )
        if status == N.FINAL_SENT:
            fields.update(final=FINAL, final_due=FAR, final_sent_at=timezone.now(), response_due=date(2026, 3, 13))
        note = MeetingNoteFactory(meeting=meeting, status=status, **fields)
        NoteJudgement.objects.create(note=note, area=JUDGEMENT, performance_rating="inadequate", risk="high")
        return {"meeting": meeting, "note": note}

    return setup


def note_url(name):
    return lambda w, o: reverse(name, args=[o["meeting"].pk])


def who(allowed, status, others=403):
    expect = dict.fromkeys(VIEWERS, others)
    expect.update(dict.fromkeys(allowed, status))
    return expect


def shows_draft_to(readers):
    """The draft and its judgements appear on the page for ``readers`` and for nobody else."""

    def then(w, o, role, response):
        body = response.content.decode()
        shown = DRAFT in body or JUDGEMENT in body
        assert shown == (role in readers), f"{role}: draft shown={shown}"

    return then


def no_comment(w, o, role, response):
    assert not NoteComment.objects.filter(note=o["note"]).exists(), f"{role} commented"


def comment_only_by_authority(w, o, role, response):
    assert NoteComment.objects.filter(note=o["note"]).exists() == (role in AUTHORITY), role


NOTE_STATES = [("awaiting draft", N.AWAITING_DRAFT), ("circulated", N.DRAFT_CIRCULATED), ("final", N.FINAL_SENT)]

CASES = []
for label, state in NOTE_STATES:
    circulated = state != N.AWAITING_DRAFT
    readers = VIEWERS if circulated else ("csa",)
    setup = note_in(state)
    CASES += [
        Case(
            f"states: meeting page (note {label})",
            "meetings:detail",
            note_url("meetings:detail"),
            who(VIEWERS, 200),
            setup=setup,
            then=shows_draft_to(readers),
        ),
        Case(
            f"states: comment page (note {label})",
            "meetings:comment",
            note_url("meetings:comment"),
            who(AUTHORITY if circulated else (), 200),
            setup=setup,
            then=shows_draft_to(AUTHORITY if circulated else ()),
        ),
    ]
    if circulated:  # before circulation every viewer gets the comment page's 403 (above);
        # tests/meetings/test_note_content.py posts it and finds nothing saved
        CASES += [
            Case(
                f"states: comment POST (note {label})",
                "meetings:comment",
                note_url("meetings:comment"),
                # circulated: sent; final: the form again with the refusal
                who(AUTHORITY, 302 if state == N.DRAFT_CIRCULATED else 200),
                method="post",
                data=lambda w, o: {"body": "We disagree", "judgement": o["note"].judgements.get().pk},
                setup=setup,
                then=comment_only_by_authority if state == N.DRAFT_CIRCULATED else no_comment,
            ),
        ]
    CASES += [
        Case(
            f"states: response page (note {label})",
            "meetings:submit_response",
            note_url("meetings:submit_response"),
            who(AUTHORITY if circulated else (), 200),
            setup=setup,
        ),
    ]


def draft_unchanged(w, o, role, response):
    note = MeetingNote.objects.get(pk=o["note"].pk)
    assert note.draft == DRAFT, f"{role} changed a circulated draft"


def still_awaiting(w, o, role, response):
    note = MeetingNote.objects.get(pk=o["note"].pk)
    assert (note.status, note.final) == (N.AWAITING_DRAFT, ""), f"{role} sent a final note before the draft"


CASES += [
    Case(
        "states: draft note POST (note circulated)",
        "meetings:note_draft",
        note_url("meetings:note_draft"),
        who(("csa",), 200),  # the form again: "can no longer be changed"
        method="post",
        data=lambda w, o: {"lock_version": o["note"].lock_version, "draft": "Rewritten after circulation"},
        setup=note_in(N.DRAFT_CIRCULATED),
        then=draft_unchanged,
    ),
    Case(
        "states: final note POST (note awaiting draft)",
        "meetings:send_final",
        note_url("meetings:send_final"),
        who(("csa",), 200),  # the form again with the refusal
        method="post",
        data=lambda w, o: {"final": "Final before the draft"},
        setup=note_in(N.AWAITING_DRAFT),
        then=still_awaiting,
    ),
]

# --- offers ---------------------------------------------------------------------------------------

REVISION = "An unsubmitted revision with new funding"
SUBMITTED = "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people"


def offer_in(state):
    """TfC's offer on Newcastle's draft plan: invited, submitted, or challenged with a revision saved
    as a draft."""

    def setup(w):
        if state == "revising":
            offer = build_offer(w, O.CHALLENGED)
            OfferDraft.objects.create(offer=offer, description=REVISION, funding=Decimal("98765"), saved_by=w.provider)
            return offer
        return build_offer(w, state)

    return setup


def revision_only_to_provider(w, o, role, response):
    body = response.content.decode()
    shown = REVISION in body
    assert shown == (role == "provider" and response.status_code == 200), f"{role}: revision shown={shown}"


def offer_plan_url(name):
    return lambda w, o: reverse(name, kwargs={"pk": o.priority.jisp_id})


def offer_unchanged(w, o, role, response):
    o.refresh_from_db()
    assert (o.status, o.description) == (O.CHALLENGED, SUBMITTED), f"{role} changed the submitted offer"
    revision = OfferDraft.objects.get(offer=o).description
    assert (revision == "Revised again") == (role == "provider"), f"{role}: revision {revision!r}"


PLAN_VIEWERS = ("csa", "go_director", "dcs", "la_officer", "admin")

CASES += [
    Case(
        "states: offer page (invited)",
        "plans:offer_detail",
        lambda w, o: reverse("plans:offer_detail", kwargs={"pk": o.pk}),
        see(INVITED_VIEWERS, 200),
        setup=offer_in(O.INVITED),
    ),
    Case(
        "states: offer page (challenged, revision not submitted)",
        "plans:offer_detail",
        lambda w, o: reverse("plans:offer_detail", kwargs={"pk": o.pk}),
        see(SUBMITTED_VIEWERS, 200),
        setup=offer_in("revising"),
        then=revision_only_to_provider,
    ),
    Case(
        "states: offer form (challenged, revision not submitted)",
        "plans:offer_edit",
        lambda w, o: reverse("plans:offer_edit", kwargs={"pk": o.pk}),
        see(SUBMITTED_VIEWERS, 403, provider=200),
        setup=offer_in("revising"),
        then=revision_only_to_provider,
    ),
    Case(
        "states: save revision as draft (challenged)",
        "plans:offer_edit",
        lambda w, o: reverse("plans:offer_edit", kwargs={"pk": o.pk}),
        see(SUBMITTED_VIEWERS, 403, provider=302),
        method="post",
        data=lambda w, o: {
            "lock_version": o.lock_version,
            "description": "Revised again",
            "deliver_by": "31/05/2010",
            "days": "2",
            "funding": "",
            "notes": "",
            "save_draft": "",
        },
        setup=offer_in("revising"),
        then=offer_unchanged,
    ),
    Case(
        "states: Annex 2 page (offer challenged, revision not submitted)",
        "plans:detail",
        offer_plan_url("plans:detail"),
        see(PLAN_VIEWERS, 200),
        setup=offer_in("revising"),
        then=revision_only_to_provider,
    ),
    Case(
        "states: plan history (offer challenged, revision not submitted)",
        "plans:history",
        offer_plan_url("plans:history"),
        see(PLAN_VIEWERS, 200),
        setup=offer_in("revising"),
        then=revision_only_to_provider,
    ),
    Case(
        "states: offer form (submitted)",
        "plans:offer_edit",
        lambda w, o: reverse("plans:offer_edit", kwargs={"pk": o.pk}),
        see(SUBMITTED_VIEWERS, 403, provider=200),  # the provider is told it cannot change it now
        setup=offer_in(O.SUBMITTED),
    ),
]

# --- plans ----------------------------------------------------------------------------------------


def plan_in(state):
    return lambda w: build_plan(w, state)


PLAN_STATES = [
    ("draft", S.DRAFT, see(PLAN_VIEWERS, 200)),
    ("with the authority", S.WITH_AUTHORITY, see(PLAN_VIEWERS, 200)),
    # approved: published to national analysts and to the provider with an accepted offer
    ("approved", S.APPROVED, see(PLAN_VIEWERS, 200, provider=200, national=200)),
]
for label, state, expect in PLAN_STATES:
    CASES += [
        Case(
            f"states: Annex 2 page (plan {label})",
            "plans:detail",
            lambda w, o: reverse("plans:detail", kwargs={"pk": o.pk}),
            expect,
            setup=plan_in(state),
        ),
        Case(
            f"states: review page (plan {label})",
            "plans:workflow",
            lambda w, o: reverse("plans:workflow", kwargs={"pk": o.pk}),
            see(PLAN_VIEWERS, 200, **({"provider": 200, "national": 200} if state == S.APPROVED else {})),
            setup=plan_in(state),
        ),
    ]
