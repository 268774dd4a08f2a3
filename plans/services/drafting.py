"""Plan services: drafting (see plans.services)."""

__all__ = []
