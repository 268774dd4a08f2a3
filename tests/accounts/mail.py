"""Reading the emails services queued (``accounts.OutboundEmail`` rows, recorded in the service's
transaction; the worker sends them after commit)."""

import re
from urllib.parse import urlparse

from accounts.models import OutboundEmail


def emails_to(address, key_prefix=""):
    return list(OutboundEmail.objects.filter(recipient=address, key__startswith=key_prefix).order_by("pk"))


def subjects_to(address):
    return [e.subject for e in emails_to(address)]


def link_to(address, fragment):
    """The path of the newest link containing ``fragment`` emailed to ``address``."""
    for email in reversed(emails_to(address)):
        for url in re.findall(r"https?://\S+", email.body):
            if fragment in url:
                return urlparse(url).path
    raise AssertionError(f"no link with {fragment!r} emailed to {address}: {subjects_to(address)}")
