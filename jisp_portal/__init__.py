"""JISP portal project package: configuration only (settings, urls, Celery app, WSGI/ASGI)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
