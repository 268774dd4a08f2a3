"""The national-scale benchmark behind ``python manage.py bench`` (issue 10).

One job per module: ``scale`` (the sizes), ``database`` (its own database, created and dropped),
``dataset`` (bulk inserts, no services), ``measure`` (server time, PDF, sweep, with query counts),
``load`` (gunicorn throughput), ``report`` (the Markdown table) and ``settings`` (the bench server's
settings: production settings with two-factor sign-in turned off for the bench's own users only).
Nothing here is imported by the portal itself.
"""
