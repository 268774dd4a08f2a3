"""The request a signed-in page is given: its ``user`` is a portal ``User``, never anonymous.

For type checking views behind ``login_required`` (or the two-factor middleware); at run time it is
Django's HttpRequest."""

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    user: User
