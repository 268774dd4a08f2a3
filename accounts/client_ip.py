"""The client's network address, the one answer the sign-in lockout (django-axes'
``AXES_CLIENT_IP_CALLABLE``), the audit log, "Your sessions" and the forgot-password and
access-request throttles all use (ASVS 2.2.1, 7.1.3).

Behind load balancers or reverse proxies, ``REMOTE_ADDR`` is the nearest proxy, so every client
would share one lockout and one throttle, and the audit log would record the proxy. Each proxy
appends the address it received the request from to ``X-Forwarded-For``; the client can put
anything to the left of those. With ``TRUSTED_PROXY_COUNT = n`` (the number of proxies in front of
gunicorn that append to the header), the client is the n-th entry from the right: the address the
outermost trusted proxy saw. Nothing further left is ever read, so a spoofed header changes nothing.
With 0 (the default: gunicorn faces the clients) the header is ignored and ``REMOTE_ADDR`` is the
client. See SECURITY.md, "Several web and worker machines".
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    """A bare IP address from one header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:443``, ``::1``),
    else None."""
    value = value.strip()
    candidates = [value]
    if value.startswith("[") and "]" in value:
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: from ``X-Forwarded-For`` behind ``TRUSTED_PROXY_COUNT`` proxies, else
    ``REMOTE_ADDR``; None without a request."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (part.strip() for part in header.split(",")) if hop]
    if not hops:
        return remote
    # Fewer entries than trusted proxies: every entry was written by a trusted proxy; the left-most
    # is the address the first of them saw.
    chosen = hops[max(len(hops) - count, 0)]
    return _address(chosen) or remote
