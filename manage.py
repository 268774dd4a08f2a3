#!/usr/bin/env python
"""Django's command-line utility for the JISP portal."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisp_portal.settings")
    # manage.py is a developer's tool first: unset, it means development (as a project's manage.py
    # defaults to its local settings). Everything that serves or works in production sets
    # DJANGO_ENV=production itself (the Dockerfile, docker-compose.yml), and the web server, the
    # worker and beat, which never pass through here, are production whenever it is not set.
    os.environ.setdefault("DJANGO_ENV", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
