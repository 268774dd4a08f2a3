"""Regions, local authorities, National Indicators and Regional Children and Young People's Forums."""

from django.apps import AppConfig


class AuthoritiesConfig(AppConfig):
    name = "authorities"
    verbose_name = "Authorities"
