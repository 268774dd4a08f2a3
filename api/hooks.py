"""What the API app does when a lower app tells it something happened (``core.hooks``)."""

from .services import revoke_tokens_of


def user_deactivated(*, user, actor):
    """A switched-off account's API tokens stop at once (authentication also refuses inactive users)."""
    revoke_tokens_of(user=user, actor=actor)
