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
    if outcome.response:
        return outcome.response
    return render(request, "form_page.html", {"form": outcome.form, ...})

The view still finds the object (404 outside ``visible_to``) and checks the permission (403) before
it builds the form; ``submit`` does the rest the same way on every page:

- GET, or a form with errors: nothing is called; the page shows the form (GOV.UK error summary).
- The service refuses (``ServiceError``): its message goes on the field it names, or at the top.
- The object changed since the form was opened (``StaleEditError``): ``on_stale(error)`` gives the
  form again with the user's text and the current version (``rebind``), and what the latest version
  says; nothing was saved and nothing typed is lost.
- Success: a green banner (``success``) and a redirect (``then``); or ``respond(result)`` answers
  instead (an htmx partial, a file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from .errors import ServiceError, StaleEditError, posted, show_on_form

Perform = Callable[[dict[str, Any]], Any]
Text = str | Callable[[Any], str | None] | None
Target = Any  # a URL, a model with get_absolute_url, or a callable(result) giving either


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


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    perform: Perform,
    *,
    success: Text = None,
    then: Target = None,
    respond: Callable[[Any], HttpResponse] | None = None,
    on_stale: Callable[[StaleEditError], tuple[forms.BaseForm, Any]] | None = None,
) -> Outcome:
    """Run ``perform(form.cleaned_data)`` for a valid POST and say what happened (see the module)."""
    outcome = Outcome(form=form)
    if request.method != "POST" or not form.is_valid():
        return outcome
    try:
        outcome.result = perform(form.cleaned_data)
    except StaleEditError as error:
        outcome.error = error
        if on_stale is None:
            show_on_form(form, error)
        else:
            outcome.form, outcome.latest = on_stale(error)
        return outcome
    except ServiceError as error:
        outcome.error, outcome.details = error, list(error.details)
        show_on_form(form, error)
        return outcome
    if respond is not None:
        outcome.response = respond(outcome.result)
        return outcome
    banner = _resolve(success, outcome.result)
    if banner:
        messages.success(request, banner)
    outcome.response = redirect(resolve_url(_resolve(then, outcome.result)))
    return outcome


def post_only(request: HttpRequest, perform: Callable[[], Any], *, then: Target, success: Text = None) -> HttpResponse:
    """A button with no form of its own (move up, resend): call the service, show a refusal or the
    ``success`` banner, and go back to ``then``."""
    try:
        result = perform()
    except ServiceError as error:
        messages.error(request, error.message)
        result = None
    else:
        banner = _resolve(success, result)
        if banner:
            messages.success(request, banner)
    return redirect(resolve_url(_resolve(then, result)))


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


__all__ = ["Outcome", "post_only", "posted", "rebind", "submit"]
