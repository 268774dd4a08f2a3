"""Improvement tasks: thin, idempotent, acks late, retried with backoff."""

from celery import shared_task


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def render_letter_pdf(self, challenge_id):
    """Render, store and send the final letter of a peer challenge. A letter that already has its PDF
    keeps it: running this twice changes nothing and sends nothing twice."""
    from .services.challenge import publish_letter_pdf

    challenge = publish_letter_pdf(challenge_id=challenge_id)
    return challenge.letter_pdf_sha256 if challenge is not None else None


@shared_task(acks_late=True)
def requeue_missing_letters():
    """Beat: queue the rendering again for any issued letter still without its PDF (the broker was
    down, or a render failed for good). Returns how many were queued."""
    from .models import PeerChallenge

    ids = list(
        PeerChallenge.objects.filter(status=PeerChallenge.Status.LETTER_ISSUED, letter_pdf="").values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        render_letter_pdf.delay(pk)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def sweep_challenge_deadlines():
    """Beat, every 15 minutes: lapse response windows, remind of responses and letters due (idempotent)."""
    from .services.challenge import sweep_challenge_deadlines as sweep

    return sweep()
