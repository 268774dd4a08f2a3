"""Demo plans for seed_demo: drafting (Newcastle 2010-11 in draft), offers (offers in every state),
workflow (Newcastle 2009-10 approved, its PDF queued for the Celery worker; Leeds awaiting
approval), delivery (the 2009-10 plan's support in every delivery status), changes (a change request open on
the approved plan; an accepted offer varied on the draft). Idempotent."""

from importlib import import_module

PARTS = ("drafting", "offers", "workflow", "delivery", "changes")


def seed(users, stdout):
    for part in PARTS:
        module = import_module(f"{__name__}.{part}")
        if hasattr(module, "seed"):
            module.seed(users, stdout)
