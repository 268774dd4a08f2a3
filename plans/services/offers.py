"""Plan services: offers (see plans.services)."""

__all__ = []
