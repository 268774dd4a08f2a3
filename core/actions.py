"""The one way a page performs an action: a form (or a confirmation) posted, a service called, the
outcome shown.

    form = PriorityForm(posted(request), ...)
    outcome = submit(
        request,
        form,
        lambda data: services.add_priority(actor=request.user, jisp=jisp, **data),
        success=lambda priority: f"The priority “{priority.title}” has been added",
        then=lambda priority: priority.get_absolute_url(),
    )
    return outcome.response or form_page(request, outcome.form, title="Add a priority", ...)

The view still finds the object (404 outside ``visible_to``) and checks the permission (403) before
it builds the form; ``submit`` does the rest the same way on every page:

- GET, or a form with errors: nothing is called; the page shows the form (GOV.UK error summary).
- The service refuses (``ServiceError``): its message goes on the field it names, or at the top, and
  its ``details`` are kept on the outcome for the page; or, with ``refused``, it is shown in an error
  banner on the page ``refused`` names.
- The object changed since the form was opened (``StaleEditError``): ``on_stale(error)`` gives the
  form again with the user's text and the current version (``rebind``, or ``reopen`` which rereads
  the object first), and what the latest version says; nothing was saved and nothing typed is lost.
- Success: a green banner (``success``) and a redirect (``then``); or ``respond(result)`` answers
  instead (an htmx partial, a file).

``post_only`` does the same for a button with no form of its own, and ``form_page`` renders the
common one-form page (``form_page.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url

from .errors import ServiceError, StaleEditError, posted, show_on_form

Perform = Callable[[dict[str, Any]], Any]
Text = str | Callable[[Any], str | None] | None
Target = Any  # a URL or URL name, a model with get_absolute_url, or a callable(result) giving either
OnStale = Callable[[StaleEditError], tuple[forms.BaseForm, Any]]


@dataclass
class Outcome:
    """What became of the action: ``response`` when it is done; otherwise the page to show again."""

    form: forms.BaseForm
    response: HttpResponse | None = None
    result: Any = None
    error: ServiceError | None = None
    latest: Any = None
    details: list[Any] = field(default_factory=list)


def _resolve(value: Any, result: Any) -> Any:
    return value(result) if callable(value) else value


def _go(request: HttpRequest, banner: str | None, target: Target, *, error: bool = False) -> HttpResponse:
    if banner:
        (messages.error if error else messages.success)(request, banner)
    return redirect(resolve_url(target))


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    perform: Perform,
    *,
    success: Text = None,
    then: Target = None,
    respond: Callable[[Any], HttpResponse] | None = None,
    on_stale: OnStale | None = None,
    refused: Target = None,
) -> Outcome:
    """Run ``perform(form.cleaned_data)`` for a valid POST and say what happened (see the module)."""
    outcome = Outcome(form=form)
    if request.method != "POST" or not form.is_valid():
        return outcome
    try:
        outcome.result = perform(form.cleaned_data)
    except ServiceError as error:
        outcome.error, outcome.details = error, list(error.details)
        if isinstance(error, StaleEditError) and on_stale is not None:
            outcome.form, outcome.latest = on_stale(error)
        elif refused is not None:
            outcome.response = _go(request, error.message, _resolve(refused, None), error=True)
        else:
            show_on_form(form, error)
        return outcome
    if respond is not None:
        outcome.response = respond(outcome.result)
    else:
        outcome.response = _go(request, _resolve(success, outcome.result), _resolve(then, outcome.result))
    return outcome


def post_only(request: HttpRequest, perform: Callable[[], Any], *, then: Target, success: Text = None) -> HttpResponse:
    """A button with no form of its own (move up, resend): call the service, show a refusal or the
    ``success`` banner, and go back to ``then``."""
    try:
        result = perform()
    except ServiceError as error:
        return _go(request, error.message, _resolve(then, None), error=True)
    return _go(request, _resolve(success, result), _resolve(then, result))


def rebind(
    form_class: type[forms.BaseForm],
    request: HttpRequest,
    error: ServiceError,
    *,
    version_field: str,
    version: Any,
    **kwargs: Any,
) -> forms.BaseForm:
    """After a stale save: the form again with the user's text, the refusal at the top, and the current
    version in ``version_field`` so that a second save (after reading the latest) goes through."""
    data = request.POST.copy()
    data[version_field] = version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, error.message)
    return form


def reopen(
    form_class: type[forms.BaseForm],
    request: HttpRequest,
    obj: models.Model,
    *,
    version_field: str = "lock_version",
    version: Callable[[Any], Any] | None = None,
    latest: Callable[[Any], Any] | None = None,
    fields: Sequence[str] | None = None,
    **kwargs: Any,
) -> OnStale:
    """An ``on_stale`` for an edit form: reread ``obj`` (only ``fields`` when given), then ``rebind``
    the form (``kwargs``) with its current version — ``version(obj)``, or the ``version_field``
    attribute — and give ``latest(obj)``, what the latest version says, for the page."""

    def on_stale(error: StaleEditError) -> tuple[forms.BaseForm, Any]:
        obj.refresh_from_db(fields=fields)
        current = version(obj) if version else getattr(obj, version_field)
        form = rebind(form_class, request, error, version_field=version_field, version=current, **kwargs)
        return form, latest(obj) if latest else None

    return on_stale


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    crumbs: Sequence[Any] | None = None,
    caption: str | None = None,
    lead: str | None = None,
    cancel_url: str | None = None,
    template: str = "form_page.html",
    **context: Any,
) -> HttpResponse:
    """The page that shows an action's form: ``form_page.html`` (breadcrumbs, error summary, caption,
    title, lead, the form, a Cancel link), or ``template`` given the same names and ``context``."""
    page = {"form": form, "title": title, "crumbs": crumbs, "caption": caption, "lead": lead, "cancel_url": cancel_url}
    return render(request, template, {**page, **context})


__all__ = ["Outcome", "form_page", "post_only", "posted", "rebind", "reopen", "submit"]
