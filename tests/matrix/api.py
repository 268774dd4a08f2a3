"""The open data pages × every role: national analysts and administrators only; anyone else 404 (as
on the national analysis). The API itself (``/api/v1/``) has its own matrix: tests/api/endpoints.py."""

import io
import zipfile

from django.urls import reverse

from plans.models import JISP
from tests.matrix import Case
from tests.plans.factories import JISPFactory

NATIONAL = {"national": 200, "admin": 200}


def an_approved_plan(world):
    JISPFactory(authority=world.newcastle, period="2009-10", status=JISP.Status.APPROVED)
    return {}


def the_zip_has_the_files(world, objects, role, response):
    if response.status_code == 200:
        names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        assert "jisp-open-data/plan-rows.csv" in names
        assert "jisp-open-data/national/2009-10/regions.csv" in names


CASES = [
    Case("open data page", "open_data:index", lambda w, o: reverse("open_data:index"), NATIONAL),
    Case(
        "open data download",
        "open_data:download",
        lambda w, o: reverse("open_data:download"),
        NATIONAL,
        setup=an_approved_plan,
        then=the_zip_has_the_files,
    ),
]
