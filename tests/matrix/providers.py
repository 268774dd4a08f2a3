"""Providers and provision feedback: every page and POST for every role."""

from django.urls import reverse

from providers.models import ProvisionFeedback
from tests.matrix import Case, everyone
from tests.providers.factories import ProviderFactory, ProvisionFeedbackFactory

# Feedback on TfC from Newcastle: who sees the comment on TfC's page.
SEES_NEWCASTLE_FEEDBACK = {"csa", "go_director", "dcs", "la_officer", "provider", "national", "admin"}


def _ne_only_provider(w):
    provider = ProviderFactory(name="North East Improvement Partnership", abbreviation="NEIP", kind="riep")
    provider.regions.set([w.ne])
    return {"provider": provider}


def _inspectorate(w):
    return {"provider": ProviderFactory(name="Audit Commission", abbreviation="AC", kind="inspectorate")}


def _newcastle_feedback(w):
    return {
        "feedback": ProvisionFeedbackFactory(
            provider=w.tfc, authority=w.newcastle, given_by=w.dcs, rating=2, comments="Advice arrived too late."
        )
    }


def _feedback_visibility(w, o, role, response):
    if response.status_code == 200:
        assert ("Advice arrived too late." in response.content.decode()) == (role in SEES_NEWCASTLE_FEEDBACK)


def _feedback_saved_only_when_allowed(w, o, role, response):
    saved = ProvisionFeedback.objects.filter(provider=o["provider"], comments="Timely and practical.")
    if role in ("dcs", "la_officer"):
        assert saved.get().authority == w.newcastle
    else:
        assert not saved.exists()


CASES = [
    Case("provider list", "providers:list", lambda w, o: reverse("providers:list"), everyone(200)),
    Case(
        "provider detail (Together for Children)",
        "providers:detail",
        lambda w, o: w.tfc.get_absolute_url(),
        everyone(200),
        setup=_newcastle_feedback,
        then=_feedback_visibility,
    ),
    Case(
        "provider detail (unknown abbreviation)",
        "providers:detail",
        lambda w, o: reverse("providers:detail", args=["NOPE"]),
        everyone(404),
    ),
    Case(
        "feedback form (TfC, serving both regions)",
        "providers:feedback_create",
        lambda w, o: reverse("providers:feedback_create", args=[w.tfc.abbreviation]),
        everyone(403, dcs=200, la_officer=200, dcs_other=200),
    ),
    Case(
        "feedback form (provider of the North East only)",
        "providers:feedback_create",
        lambda w, o: reverse("providers:feedback_create", args=[o["provider"].abbreviation]),
        everyone(403, dcs=200, la_officer=200),
        setup=_ne_only_provider,
    ),
    Case(
        "feedback form (an inspectorate, which gives no support)",
        "providers:feedback_create",
        lambda w, o: reverse("providers:feedback_create", args=[o["provider"].abbreviation]),
        everyone(403),
        setup=_inspectorate,
    ),
    Case(
        "give feedback (POST, provider of the North East only)",
        "providers:feedback_create",
        lambda w, o: reverse("providers:feedback_create", args=[o["provider"].abbreviation]),
        everyone(403, dcs=302, la_officer=302),
        method="post",
        setup=_ne_only_provider,
        data=lambda w, o: {"rating": "5", "comments": "Timely and practical."},
        then=_feedback_saved_only_when_allowed,
    ),
    Case(
        "feedback list",
        "providers:feedback_list",
        lambda w, o: reverse("providers:feedback_list"),
        everyone(200),
        setup=_newcastle_feedback,
        then=_feedback_visibility,
    ),
]
