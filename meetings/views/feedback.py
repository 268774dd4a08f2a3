"""Feedback on the arrangements: the term's short form for an authority's DCS and senior officers, and
the results per region (GO staff) and nationally (the department, administrators)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.permissions import require
from core.actions import form_page, posted, submit

from .. import feedback
from ..clock_forms import FeedbackForm
from ..models import ArrangementsFeedback, FeedbackRound


def feedback_give(request, pk):
    require(request.user, "meetings.give_feedback")
    round_ = get_object_or_404(FeedbackRound, pk=pk)
    given = ArrangementsFeedback.objects.filter(round=round_, respondent=request.user).first()
    if given:
        return render(
            request,
            "meetings/clocks/feedback_given.html",
            {"round": round_, "given": given, "crumbs": [(f"Feedback: {round_}", None)]},
        )
    form = FeedbackForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: feedback.give_feedback(actor=request.user, round=round_, **data),
        success="Thank you: your feedback has been sent to the Government Office",
        then=lambda answer: reverse("meetings:feedback_give", args=[round_.pk]),
    )
    title = "How well are the arrangements working?"
    return outcome.response or form_page(
        request,
        outcome.form,
        title=title,
        caption=f"{request.user.authority} · {round_}",
        lead=f"The Government Office asks every authority each term. Your answers are seen by the Government "
        f"Office for your region and by the department. Please answer by {round_.closes_on:%d %B %Y}.",
        crumbs=[(f"Feedback: {round_}", None)],
        cancel_url=reverse("accounts:dashboard"),
    )


def feedback_results(request):
    require(request.user, "meetings.view_feedback")
    rounds = list(FeedbackRound.objects.order_by("-pk")[:12])
    chosen = None
    if request.GET.get("round", "").isdigit():
        chosen = get_object_or_404(FeedbackRound, pk=int(request.GET["round"]))
    elif rounds:
        chosen = rounds[0]
    figures = feedback.results(request.user, chosen) if chosen else None
    return render(
        request,
        "meetings/clocks/feedback_results.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "figures": figures,
            "ratings": ArrangementsFeedback.Rating.choices,
            "crumbs": [("Feedback on the arrangements", None)],
        },
    )
