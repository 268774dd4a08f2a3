import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accounts.models import User
from authorities.models import LocalAuthority, NationalIndicator, Region, RegionalForum
from demo.cast import CAST
from improvement.demo import PEOPLE
from providers.models import Provider

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "admin@demo.test",
    "csa@demo.test",
    "director@demo.test",
    "dcs@demo.test",
    "officer@demo.test",
    "dcs.leeds@demo.test",
    "csa.leeds@demo.test",
    "provider@demo.test",
    "provider.ns@demo.test",
    "national@demo.test",
}

IMPROVEMENT_EMAILS = {p.email for p in PEOPLE}


def run(name):
    call_command(name, stdout=io.StringIO())


def test_seed_reference_and_seed_demo_twice_leave_the_demo_world(client):
    for _ in range(2):
        run("seed_reference")
        run("seed_demo")
    assert Region.objects.count() == 9
    assert LocalAuthority.objects.count() == 152
    assert NationalIndicator.objects.count() == 76
    assert NationalIndicator.objects.get(number=112).title == "Under 18 conception rate"
    assert Provider.objects.count() == 30
    assert {p.email for p in CAST} == DEMO_EMAILS
    # The cast, and the people the sector-led improvement demo adds (improvement/demo.py).
    assert set(User.objects.values_list("email", flat=True)) == DEMO_EMAILS | IMPROVEMENT_EMAILS
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    assert newcastle.csa.email == "csa@demo.test"
    assert newcastle.dcs.email == "dcs@demo.test"
    assert RegionalForum.objects.filter(region__slug="north-east").count() == 1
    for email in sorted(DEMO_EMAILS):
        response = client.post("/sign-in/", {"username": email, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, email
        page = client.get("/")
        if email in ("admin@demo.test", "director@demo.test"):
            # seed_demo gives these two a confirmed TOTP device: they are asked for the code next.
            assert page.status_code == 302, email
            assert page["Location"].startswith("/two-factor/"), email
        else:
            assert page.status_code == 200, email
        client.post("/sign-out/")


@override_settings(PRODUCTION=True)
def test_seed_demo_is_refused_in_production():
    run("seed_reference")
    with pytest.raises(CommandError, match="production"):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_leaves_the_approved_plans_pdf_to_the_celery_worker(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """make run's worker renders it (scripts/smoke-run.sh waits for that): seed_demo only queues it."""
    from plans.models import JISP

    settings.MEDIA_ROOT = tmp_path / "media"
    run("seed_reference")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run("seed_demo")
    plan = JISP.objects.get(authority__name="Newcastle upon Tyne", period="2009-10")
    assert plan.approved_at is not None
    assert not plan.pdf
    assert queued  # the renderings (and the emails of the improvement demo) wait for the worker
    for callback in queued:  # what the worker does with the queued tasks (Celery runs eagerly in tests)
        callback()
    plan.refresh_from_db()
    assert plan.pdf
    assert len(plan.pdf_sha256) == 64
    with django_capture_on_commit_callbacks(execute=False) as queued_again:
        run("seed_demo")
    assert queued_again == []  # the plan has its PDF: nothing to queue


def test_seed_demo_hashes_the_demo_password_once_and_keeps_it():
    """Hashing is slow on purpose: a re-seed (every make run) keeps the one hash the cast shares."""
    run("seed_reference")
    run("seed_demo")
    first = set(User.objects.values_list("password", flat=True))
    run("seed_demo")
    assert set(User.objects.values_list("password", flat=True)) == first
    assert len(first) == 1
    assert User.objects.get(email="csa@demo.test").check_password(settings.DEMO_PASSWORD)
    with override_settings(DEMO_PASSWORD="another-demo-password"):
        run("seed_demo")
        assert User.objects.get(email="dcs@demo.test").check_password("another-demo-password")
