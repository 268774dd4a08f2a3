"""Sign-in backend: Django's ModelBackend, loading the signed-in user with their region, authority
and provider in the one query every request makes (the header, navigation and permission rules
read them on every page)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("region", "authority", "provider").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
