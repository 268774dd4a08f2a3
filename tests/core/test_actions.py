"""core.actions: the one way a view performs an action — what is called, what the page shows, where
the user goes — tested on a small form and a stand-in service."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse

from core.actions import form_page, post_only, posted, reopen, submit
from core.errors import ServiceError, StaleEditError


class NoteForm(forms.Form):
    text = forms.CharField(error_messages={"required": "Enter the note"})
    version = forms.IntegerField(widget=forms.HiddenInput)


class Service:
    """Records its calls; answers with ``result`` or raises ``error``."""

    def __init__(self, result="saved", error=None):
        self.calls, self.result, self.error = [], result, error

    def __call__(self, data=None):
        self.calls.append(data)
        if self.error:
            raise self.error
        return self.result


class Note:
    """What an edit form changes: ``refresh_from_db`` reads the version someone else saved."""

    def __init__(self):
        self.text, self.version, self.refreshed = "Original", 1, None

    def refresh_from_db(self, fields=None):
        self.text, self.version, self.refreshed = "Their change", 2, fields


def _request(rf, method="get", data=None):
    request = getattr(rf, method)("/notes/1/", data or {})
    request._messages = CookieStorage(request)
    request.user = AnonymousUser()
    return request


def _banners(request):
    return [(m.level, m.message) for m in request._messages]


def _post(rf, data=None):
    return _request(rf, "post", {"text": "My note", "version": "1"} if data is None else data)


def test_a_get_shows_the_form_and_calls_nothing(rf):
    request, service = _request(rf), Service()
    outcome = submit(request, NoteForm(posted(request)), service, success="Saved", then="/done/")
    assert outcome.response is None
    assert not outcome.form.is_bound
    assert service.calls == []
    assert _banners(request) == []


def test_a_form_with_errors_calls_nothing(rf):
    request, service = _post(rf, {"version": "1"}), Service()
    outcome = submit(request, NoteForm(posted(request)), service, success="Saved", then="/done/")
    assert outcome.response is None
    assert service.calls == []
    assert outcome.form.errors == {"text": ["Enter the note"]}


def test_a_refusal_naming_a_field_lands_on_it_and_keeps_its_details(rf):
    request = _post(rf)
    service = Service(error=ServiceError("Too long for a note", field="text", details=["the plan"]))
    outcome = submit(request, NoteForm(posted(request)), service, success="Saved", then="/done/")
    assert outcome.response is None
    assert len(service.calls) == 1
    assert outcome.form.errors == {"text": ["Too long for a note"]}
    assert outcome.details == ["the plan"]
    assert outcome.error is service.error
    assert _banners(request) == []


def test_a_refusal_naming_no_field_goes_at_the_top(rf):
    request = _post(rf)
    outcome = submit(request, NoteForm(posted(request)), Service(error=ServiceError("The plan is approved")))
    assert outcome.form.non_field_errors() == ["The plan is approved"]


def test_with_refused_a_refusal_is_an_error_banner_on_that_page(rf):
    request = _post(rf)
    outcome = submit(
        request,
        NoteForm(posted(request)),
        Service(error=ServiceError("Already circulated", field="text")),
        success="Circulated",
        then="/done/",
        refused="/meeting/",
    )
    assert outcome.response.status_code == 302
    assert outcome.response["Location"] == "/meeting/"
    assert _banners(request) == [(constants.ERROR, "Already circulated")]


def test_a_stale_save_with_on_stale_keeps_the_text_and_takes_the_current_version(rf):
    request, note = _post(rf), Note()
    stale = StaleEditError(note, changed_by="Sam Jones")
    outcome = submit(
        request,
        NoteForm(posted(request)),
        Service(error=stale),
        on_stale=reopen(NoteForm, request, note, version_field="version", latest=lambda n: [("Note", n.text)]),
    )
    assert outcome.response is None
    assert outcome.error is stale
    assert outcome.form.data["text"] == "My note", "what the user typed is kept"
    assert outcome.form.data["version"] == 2, "a second save goes through"
    assert outcome.form.non_field_errors() == [stale.message]
    assert outcome.latest == [("Note", "Their change")]
    assert note.refreshed is None, "the whole object is read again"


def test_reopen_can_read_only_the_version_and_take_it_from_a_function(rf):
    request, note = _post(rf), Note()
    on_stale = reopen(
        NoteForm, request, note, version_field="version", version=lambda n: n.version * 10, fields=["version"]
    )
    form, latest = on_stale(StaleEditError(note))
    assert form.data["version"] == 20
    assert latest is None
    assert note.refreshed == ["version"]


def test_a_stale_save_without_on_stale_is_shown_at_the_top(rf):
    request = _post(rf)
    stale = StaleEditError(Note())
    outcome = submit(request, NoteForm(posted(request)), Service(error=stale))
    assert outcome.form.non_field_errors() == [stale.message]
    assert outcome.form.data["version"] == "1"


def test_success_shows_the_banner_and_goes_on(rf):
    request, service = _post(rf), Service(result="note-7")
    outcome = submit(
        request,
        NoteForm(posted(request)),
        service,
        success=lambda result: f"Saved {result}",
        then=lambda result: f"/notes/{result}/",
    )
    assert service.calls == [{"text": "My note", "version": 1}]
    assert outcome.result == "note-7"
    assert outcome.response.status_code == 302
    assert outcome.response["Location"] == "/notes/note-7/"
    assert _banners(request) == [(constants.SUCCESS, "Saved note-7")]


def test_success_can_go_to_a_model_or_a_url_name(rf):
    class Saved:
        def get_absolute_url(self):
            return "/saved/"

    request = _post(rf)
    outcome = submit(request, NoteForm(posted(request)), Service(), then=Saved())
    assert outcome.response["Location"] == "/saved/"
    assert _banners(request) == []
    outcome = submit(request, NoteForm(posted(request)), Service(), then="meetings:list")
    assert outcome.response["Location"] == "/meetings/"


def test_respond_answers_instead_of_the_banner_and_redirect(rf):
    request = _post(rf)
    outcome = submit(
        request,
        NoteForm(posted(request)),
        Service(result="row"),
        success="Saved",
        then="/done/",
        respond=lambda result: HttpResponse(f"<tr>{result}</tr>"),
    )
    assert outcome.response.status_code == 200
    assert outcome.response.content == b"<tr>row</tr>"
    assert _banners(request) == []


def test_post_only_shows_the_banner_or_the_refusal_and_goes_back(rf):
    request = _request(rf, "post")
    response = post_only(request, Service(result=3), success=lambda n: f"Moved to {n}", then="/plan/#row")
    assert response["Location"] == "/plan/#row"
    refused = post_only(request, Service(error=ServiceError("Already first")), success="Moved", then="/plan/")
    assert refused["Location"] == "/plan/"
    assert _banners(request) == [(constants.SUCCESS, "Moved to 3"), (constants.ERROR, "Already first")]


@pytest.mark.django_db
def test_form_page_shows_the_form_with_its_title_caption_lead_and_cancel_link(rf):
    request = _post(rf, {"version": "1"})
    form = NoteForm(posted(request))
    form.is_valid()
    response = form_page(
        request,
        form,
        title="Change the note",
        caption="Newcastle upon Tyne",
        lead="The authority will see it.",
        cancel_url="/notes/",
        crumbs=[("Notes", "/notes/"), ("Change", None)],
    )
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Change the note", "Newcastle upon Tyne", "The authority will see it.", 'href="/notes/"'):
        assert text in html
    assert "<title>Error: Change the note" in html
    assert "Enter the note" in html
