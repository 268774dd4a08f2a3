"""The API is read-only for every role: safe methods only, for active signed-in people."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyForActiveUsers(BasePermission):
    message = "The API is read-only."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            self.message = "Authentication credentials were not provided."
            return False
        return request.method in SAFE_METHODS
