"""The portal's settings for pytest (and the type checker): ``jisp_portal.settings`` in development,
as ``make run`` has it. Only ``DJANGO_ENV=development`` given explicitly gives the development settings
(DEBUG, the embedded development key); pytest-django imports the settings before any conftest, so the
environment is set here. Tests that need production settings start a subprocess with their own
environment (``tests/accounts/test_settings.py``, ``test_security_headers.py``)."""

import os

os.environ.setdefault("DJANGO_ENV", "development")

from jisp_portal.settings import *  # noqa: E402, F403
