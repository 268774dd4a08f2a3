"""What /healthz checks: the database, and the Celery broker when a real one is configured."""

from django.conf import settings
from django.db import connection


def check_database() -> bool:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def check_broker() -> bool | None:
    if not settings.CELERY_BROKER_CONFIGURED:
        return None
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def status() -> dict[str, bool]:
    checks = {"database": check_database()}
    broker = check_broker()
    if broker is not None:
        checks["broker"] = broker
    return checks
