"""Request limits (in the default cache): per person with a token, per address without one.

The rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read when a request is throttled (so a
test or an operator can change them without reloading the module).
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]


class UserThrottle(_Throttle):
    scope = "api_user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonymousThrottle(_Throttle):
    scope = "api_anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
