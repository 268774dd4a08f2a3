"""Sector-led improvement: self-assessment, peer challenge with DCS reciprocity, and brokerage."""

from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = "Sector-led improvement"
