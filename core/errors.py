"""Errors services raise for refusals a user can act on (permission refusals are PermissionDenied)."""

from datetime import datetime
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict


class ServiceError(Exception):
    """The action is not possible now (wrong state, invalid data). The message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or []


class StaleEditError(ServiceError):
    """The object changed since the form was opened; nothing was saved."""

    def __init__(self, obj: Any, changed_by: Any = None, changed_at: datetime | None = None) -> None:
        who = str(changed_by) if changed_by else "someone else"
        when = f" at {changed_at:%H:%M on %d %B %Y}" if changed_at else ""
        super().__init__(
            f"This was changed by {who}{when} after you opened it. Nothing was saved: "
            "check the latest version below, then make your change again (your text is kept in the form).",
            field="__all__",
        )
        self.obj, self.changed_by, self.changed_at = obj, changed_by, changed_at


def show_on_form(form: forms.BaseForm, error: ServiceError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else at the top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def posted(request: HttpRequest) -> QueryDict | None:
    """The data a form is bound to: the POST on a submission, None (an unbound form) on a GET."""
    return request.POST if request.method == "POST" else None
