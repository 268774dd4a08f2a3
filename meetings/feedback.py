"""Feedback on the arrangements (the protocol's "Feedback": GOs seek regular feedback on how well the
arrangements are working). Each term the DCS and the senior officers of every authority are emailed a
link to a short form: how well the arrangements and the support are working, what works, what should
change. The results are shown per region to its GO staff and nationally to the department, with the
free text.

Terms: autumn (September to December, asked from 1 November), spring (January to March, asked from
1 March) and summer (April to July, asked from 1 June). A term's round opens on the first working day
on or after its date and stays open for 15 working days.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import require
from authorities.models import Region
from core.errors import ServiceError
from core.notify import absolute_url, queue_emails
from core.working_days import add_working_days, is_working_day, london_date

from .models import ArrangementsFeedback, FeedbackRound

OPEN_WORKING_DAYS = 15
#: term -> (months it covers, the month and day it is asked from)
TERMS = {
    FeedbackRound.Term.AUTUMN: ((9, 10, 11, 12), (11, 1)),
    FeedbackRound.Term.SPRING: ((1, 2, 3), (3, 1)),
    FeedbackRound.Term.SUMMER: ((4, 5, 6, 7), (6, 1)),
}


def term_of(day):
    """(year, term, the date it is asked from) of the term ``day`` falls in, or None in August."""
    for term, (months, (month, dom)) in TERMS.items():
        if day.month in months:
            return day.year, term, date(day.year, month, dom)
    return None


def respondents():
    """The DCS and senior officers of every authority."""
    return User.objects.filter(is_active=True, role__in=[Role.DCS, Role.LA_OFFICER], authority__isnull=False)


def open_round(*, today=None, actor=None):
    """Open this term's round and email every respondent a link, once: nothing happens before the
    term's date, on a day that is not a working day, or when the round is already open. Returns the
    new round, or None."""
    today = today or london_date()
    term = term_of(today)
    if term is None or today < term[2] or not is_working_day(today):
        return None
    year, name, _ = term
    try:
        with transaction.atomic():
            round_ = FeedbackRound.objects.create(
                year=year, term=name, closes_on=add_working_days(today, OPEN_WORKING_DAYS), opened_by=actor
            )
            link = absolute_url(round_.get_absolute_url())
            queue_emails(
                [
                    {
                        "key": f"arrangements-feedback:{round_.pk}:{user.pk}",
                        "recipient": user.email,
                        "subject": f"How well are the improvement support arrangements working? ({round_})",
                        "body": render_to_string(
                            "meetings/email/feedback_request.txt",
                            {"round": round_, "user": user, "link": link},
                        ),
                    }
                    for user in respondents().select_related("authority")
                ]
            )
    except IntegrityError:
        return None  # opened already (by another worker)
    return round_


def current_round(today=None):
    """The round open today, or None."""
    today = today or london_date()
    return FeedbackRound.objects.filter(closes_on__gte=today, opened_at__date__lte=today).order_by("-pk").first()


def give_feedback(*, actor, round, arrangements, support, working_well="", to_change="", today=None):
    """The DCS or an officer answers for their authority, once a term."""
    require(actor, "meetings.give_feedback")
    today = today or london_date()
    if not actor.authority_id:
        raise ServiceError("Only the people of an authority are asked for this feedback.")
    if today > round.closes_on:
        raise ServiceError(f"This request for feedback closed on {round.closes_on:%d %B %Y}.")
    choices = ArrangementsFeedback.Rating.values
    if arrangements not in choices:
        raise ServiceError("Select how well the arrangements are working", field="arrangements")
    if support not in choices:
        raise ServiceError("Select how well the support is working", field="support")
    with transaction.atomic():
        if ArrangementsFeedback.objects.filter(round=round, respondent=actor).exists():
            raise ServiceError("You have already given your feedback this term. Thank you.")
        return ArrangementsFeedback.objects.create(
            round=round,
            authority_id=actor.authority_id,
            respondent=actor,
            arrangements=arrangements,
            support=support,
            working_well=(working_well or "").strip(),
            to_change=(to_change or "").strip(),
            submitted_at=timezone.now(),
        )


# --- results --------------------------------------------------------------------------------------


@dataclass
class Figures:
    label: str
    answers: int = 0
    arrangements: float | None = None
    support: float | None = None
    spread: dict = field(default_factory=dict)  # question -> {rating: count}

    @property
    def well(self):
        """The share answering "very well" or "quite well" to each question, as whole percentages."""
        out = {}
        for question in ("arrangements", "support"):
            counts = self.spread.get(question, {})
            total = sum(counts.values())
            out[question] = round(100 * (counts.get(4, 0) + counts.get(3, 0)) / total) if total else None
        return out


def results(user, round):
    """The figures of ``round`` that ``user`` may see: GO staff their region; national and admin every
    region and the national total. Each answer's free text with its authority. A few queries."""
    require(user, "meetings.view_feedback")
    answers = ArrangementsFeedback.objects.filter(round=round)
    if user.role in (Role.CSA, Role.GO_DIRECTOR):
        if user.region_id is None:
            answers = answers.none()
        answers = answers.filter(authority__region_id=user.region_id)
        regions = list(Region.objects.filter(pk=user.region_id))
    else:
        regions = list(Region.objects.order_by("name"))
    by_region = {r.pk: Figures(r.name) for r in regions}
    total = Figures("England")
    for row in answers.values("authority__region_id").annotate(n=Count("pk"), a=Avg("arrangements"), s=Avg("support")):
        figures = by_region.get(row["authority__region_id"])
        if figures:
            figures.answers, figures.arrangements, figures.support = row["n"], row["a"], row["s"]
    for question in ("arrangements", "support"):
        for row in answers.values("authority__region_id", question).annotate(n=Count("pk")).order_by():
            figures = by_region.get(row["authority__region_id"])
            if figures:
                figures.spread.setdefault(question, {})[row[question]] = row["n"]
            total.spread.setdefault(question, {})
            total.spread[question][row[question]] = total.spread[question].get(row[question], 0) + row["n"]
    total.answers = sum(f.answers for f in by_region.values())
    if total.answers:
        total.arrangements = sum((f.arrangements or 0) * f.answers for f in by_region.values()) / total.answers
        total.support = sum((f.support or 0) * f.answers for f in by_region.values()) / total.answers
    comments = list(
        answers.exclude(working_well="", to_change="")
        .select_related("authority__region", "respondent")
        .order_by("authority__region__name", "authority__name", "pk")
    )
    return {
        "round": round,
        "regions": list(by_region.values()),
        "total": total if user.role not in (Role.CSA, Role.GO_DIRECTOR) else None,
        "comments": comments,
    }


__all__ = ["current_round", "give_feedback", "open_round", "respondents", "results", "term_of"]
