# Production image: gunicorn serving the portal; the same image runs the Celery worker and beat.
# libharfbuzz-subset0: WeasyPrint subsets the PDF's embedded fonts with it (in C) instead of fontTools.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production JISP_VAR_DIR=/srv/var MEDIA_ROOT=/srv/media
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY pyproject.toml constraints.txt ./
COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-0123456789 \
       python manage.py collectstatic --noinput
# /srv/var (beat's schedule, the default SQLite) and /srv/media (uploads and signed-off PDFs) belong to
# jisp. docker-compose.yml mounts the media volume at /srv/media: a fresh named volume starts as a copy
# of this directory, owner included, so the worker can write PDFs and the web server uploads.
RUN useradd --system --user-group --home /srv jisp && mkdir -p /srv/var /srv/media && chown -R jisp:jisp /srv/var /srv/media
USER jisp
EXPOSE 8000
# The access log masks the calendar feed's token (jisp_portal/log_redaction.py).
CMD ["gunicorn", "jisp_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "jisp_portal.log_redaction.RedactingLogger"]
