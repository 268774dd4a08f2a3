"""Settings of the bench's own gunicorn server, and of nothing else.

The portal's settings as the environment makes them, pointed at the bench database
(``JISP_BENCH_DATABASE_NAME``), served plainly over loopback, and with two-factor sign-in required of
no role: the bench signs its own administrator in with a password. ``jisp_portal.settings`` is not
changed, so no deployment is weakened; only ``manage.py bench`` starts a server with this module.
"""

import os

from jisp_portal.settings import *  # noqa: F403
from jisp_portal.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["JISP_BENCH_DATABASE_NAME"]
DEBUG = False
TWO_FACTOR_REQUIRED_ROLES = []
# Loopback HTTP only: no redirect to HTTPS, cookies sent over plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1"]
