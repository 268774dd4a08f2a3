"""Secrets that travel in URLs kept out of the logs (ASVS 7.1.1, 8.3.1, 13.1.3).

The calendar feed's address carries its token (``/meetings/ical/<token>.ics``: a calendar client can
send nothing else). gunicorn's access log (``RedactingLogger``: the request line, path, query,
referrer and every header atom) and Django's own logging (``RedactSecrets`` on the console handler:
"Not Found: /meetings/ical/....ics" and the like) print ``[redacted]`` in its place.
"""

import logging
import re

FEED_TOKEN = re.compile(r"(/ical/)[^/?#\s\"']+(\.ics)")


def redact(text: str) -> str:
    return FEED_TOKEN.sub(r"\1[redacted]\2", text)


class RedactSecrets(logging.Filter):
    """A handler filter: the record's message with the feed token masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


try:
    from gunicorn.glogging import Logger
except ImportError:  # pragma: no cover - gunicorn is installed wherever the portal is served
    Logger = object  # type: ignore[assignment,misc]


class RedactingLogger(Logger):  # type: ignore[misc,valid-type]
    """gunicorn's logger (``--logger-class jisp_portal.log_redaction.RedactingLogger``) with every
    access-log atom redacted, whatever ``--access-logformat`` prints, and the error log filtered."""

    def setup(self, cfg):  # type: ignore[no-untyped-def]
        """The error log too ("Error handling request /meetings/ical/....ics")."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(RedactSecrets())

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
