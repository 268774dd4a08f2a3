"""Feedback on the arrangements: each term the DCS and senior officers of every authority are emailed
a link to a short form; results per region for GO staff and nationally, with the free text."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import OutboundEmail, Role
from core.errors import ServiceError
from jisp_portal.celery import app as celery_app
from meetings.feedback import give_feedback, open_round, results, term_of
from meetings.models import ArrangementsFeedback, FeedbackRound
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
ASKED = date(2026, 11, 2)  # the first working day on or after 1 November


def test_terms_and_when_they_are_asked():
    assert term_of(date(2026, 11, 2)) == (2026, "autumn", date(2026, 11, 1))
    assert term_of(date(2027, 1, 15)) == (2027, "spring", date(2027, 3, 1))
    assert term_of(date(2027, 6, 30)) == (2027, "summer", date(2027, 6, 1))
    assert term_of(date(2027, 8, 10)) is None


def test_a_term_is_asked_once_with_a_link_to_every_dcs_and_officer(world):
    assert open_round(today=date(2026, 10, 30)) is None  # before the term's date
    assert open_round(today=date(2026, 11, 1)) is None  # a Sunday
    round_ = open_round(today=ASKED)
    assert str(round_) == "Autumn term 2026"
    assert round_.closes_on == date(2026, 11, 23)
    asked = OutboundEmail.objects.filter(key__startswith=f"arrangements-feedback:{round_.pk}:")
    assert {m.recipient for m in asked} == {world.dcs.email, world.la_officer.email, world.dcs_other.email}
    mail = asked.get(recipient=world.dcs.email)
    assert reverse("meetings:feedback_give", args=[round_.pk]) in mail.body
    assert "Newcastle upon Tyne" in mail.body
    assert open_round(today=date(2026, 11, 3)) is None  # once a term
    assert FeedbackRound.objects.count() == 1
    assert celery_app.conf.beat_schedule["ask-for-arrangements-feedback"]["task"] == "meetings.tasks.ask_for_feedback"


def test_answers_once_each_while_open_and_only_from_authorities(world):
    round_ = open_round(today=ASKED)
    answer = give_feedback(
        actor=world.dcs, round=round_, arrangements=4, support=2, to_change="More joined-up offers", today=ASKED
    )
    assert answer.authority == world.newcastle
    with pytest.raises(ServiceError, match="already given"):
        give_feedback(actor=world.dcs, round=round_, arrangements=3, support=3, today=ASKED)
    with pytest.raises(ServiceError, match="closed on 23 November 2026"):
        give_feedback(actor=world.la_officer, round=round_, arrangements=3, support=3, today=date(2026, 11, 24))
    with pytest.raises(ServiceError, match="arrangements"):
        give_feedback(actor=world.la_officer, round=round_, arrangements=9, support=3, today=ASKED)
    with pytest.raises(PermissionDenied):
        give_feedback(actor=world.csa, round=round_, arrangements=3, support=3, today=ASKED)


def test_results_per_region_for_go_staff_and_nationally(world):
    round_ = FeedbackRound.objects.create(year=2026, term="autumn", closes_on=date(2099, 1, 1))
    give_feedback(actor=world.dcs, round=round_, arrangements=4, support=2, working_well="The KITs", to_change="")
    give_feedback(actor=world.la_officer, round=round_, arrangements=3, support=1, to_change="Fewer visits")
    give_feedback(actor=world.dcs_other, round=round_, arrangements=1, support=4, to_change="Agendas earlier")
    director = results(world.go_director, round_)
    assert [(f.label, f.answers, f.well) for f in director["regions"]] == [
        ("North East", 2, {"arrangements": 100, "support": 0})
    ]
    assert director["total"] is None
    assert [a.to_change for a in director["comments"] if a.to_change] == ["Fewer visits"]
    national = results(world.national, round_)
    assert {f.label: f.answers for f in national["regions"]} == {"North East": 2, "Yorkshire and the Humber": 1}
    assert national["total"].answers == 3
    assert national["total"].well == {"arrangements": 67, "support": 33}
    assert len(national["comments"]) == 3
    for role in ("dcs", "provider", "la_officer"):
        with pytest.raises(PermissionDenied):
            results(getattr(world, role), round_)


def test_the_pages(world, client):
    round_ = open_round(today=ASKED)
    FeedbackRound.objects.filter(pk=round_.pk).update(closes_on=date(2099, 1, 1))
    client.force_login(world.la_officer)
    url = reverse("meetings:feedback_give", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "How well are the arrangements working?" in page
    assert "Newcastle upon Tyne" in page
    response = client.post(url, {"arrangements": "", "support": "3"})
    assert "Select how well the arrangements are working" in response.content.decode()
    response = client.post(url, {"arrangements": "4", "support": "3", "working_well": "Clear notes"})
    assert response.status_code == 302
    assert ArrangementsFeedback.objects.get().working_well == "Clear notes"
    assert "Feedback sent" in client.get(url).content.decode()
    client.force_login(world.go_director)
    page = client.get(reverse("meetings:feedback_results")).content.decode()
    assert "Clear notes" in page
    assert "North East" in page
    assert "Yorkshire" not in page
    officer = UserFactory(email="officer2@example.gov.uk", role=Role.LA_OFFICER, authority=world.leeds, region=world.yh)
    client.force_login(officer)
    assert client.get(reverse("meetings:feedback_results")).status_code == 403
