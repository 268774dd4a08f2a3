"""Plan tasks: thin, idempotent, acks late, retried with backoff."""

from celery import shared_task

# --- workflow: the signed-off PDF ----------------------------------------------------------------


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def render_jisp_pdf(self, jisp_id):
    """Render, store and copy the signed-off PDF of an approved plan. A plan that already has its PDF
    keeps it: running this twice changes nothing and sends nothing twice."""
    from .services.workflow import publish_jisp_pdf

    jisp = publish_jisp_pdf(jisp_id=jisp_id)
    return jisp.pdf_sha256 if jisp is not None else None


@shared_task(acks_late=True)
def requeue_missing_pdfs():
    """Beat: queue the rendering again for any approved plan still without its PDF (the broker was
    down, or a render failed for good). Returns how many were queued."""
    from .models import JISP

    ids = list(
        JISP.objects.filter(
            status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED], approved_at__isnull=False, pdf=""
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        render_jisp_pdf.delay(pk)
    return len(ids)


# --- end of workflow tasks -----------------------------------------------------------------------


# --- offers: reminders to providers (engineer h5) -----------------------------------------------


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def sweep_offer_reminders():
    """Beat, hourly: remind providers' advisers of invitations and challenged offers due within 2
    working days, and on the day. Idempotent: returns the number of emails newly queued."""
    from .services.offers import sweep_offer_reminders as sweep

    return sweep()


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def sweep_delivery_reminders():
    """Beat, hourly: remind providers' advisers of the deliver-by dates of their accepted offers (2
    working days before, on the day, once overdue). Idempotent: returns the number of emails newly
    queued."""
    from .services.delivery import sweep_delivery_reminders as sweep

    return sweep()


# --- end of offers tasks -------------------------------------------------------------------------


# --- imports: uploads that were never confirmed ---------------------------------------------------


@shared_task(acks_late=True)
def purge_expired_imports():
    """Discard Annex 2 documents uploaded for import and never confirmed within their day (their files
    too). Safe to run twice: an import already discarded is not touched again."""
    from .services.imports import purge_expired_imports as purge

    return purge()
