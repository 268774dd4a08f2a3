"""The demo cast and sample data (``manage.py seed_demo``), and ``manage.py demo_totp``.

It sits above every app: it makes the people of every role, then asks each app's ``demo.py`` for its
sample data in dependency order. Refused when ``DJANGO_ENV=production``.
"""
