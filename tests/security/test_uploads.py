"""Uploads: wrong types by content, oversize files and path tricks in names are refused.

``core.uploads.DocumentField`` is the field every upload form uses; it is tested directly here.
Then, generically, every form of the permission matrix with a file input (the deployment plan upload
once its matrix rows land; none exists yet) is sent each hostile file: never a server error; a wrong
type or an oversize file is refused in the GOV.UK error summary and nothing is stored; whatever is
stored stays inside MEDIA_ROOT under a safe name.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core.uploads import DocumentField, safe_name, sniff
from tests.matrix import all_cases
from tests.security.hostile import page_forms
from tests.security.test_hostile_input import POST_PARAMS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bomb_like():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\0" * 100)
    return buffer.getvalue()


WRONG_TYPES = {
    "an HTML page named as a PDF": ("plan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    "a Windows program named as a PDF": ("plan.pdf", b"MZ\x90\x00" + b"\0" * 64, "application/pdf"),
    "a shell script named as a Word file": ("plan.docx", b"#!/bin/sh\nrm -rf /\n", "application/msword"),
    "a zip that is no document": ("plan.docx", zip_bomb_like(), "application/zip"),
    "an SVG with script": (
        "plan.pdf",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        "image/svg+xml",
    ),
    "a PDF header later in the file": ("plan.pdf", b"junk" + PDF, "application/pdf"),
}
PATH_TRICKS = [
    "../../../../etc/passwd.pdf",
    "..\\..\\windows\\system32\\plan.pdf",
    "/etc/cron.d/plan.pdf",
    "plan.pdf\x00.exe",
    "....//....//plan.pdf",
    "\u202eFDP.exe",
    ".htaccess",
    "con.pdf",
    "a" * 500 + ".pdf",
]


class UploadForm(forms.Form):
    document = DocumentField()


def clean(name, content, content_type="application/pdf"):
    form = UploadForm(files={"document": SimpleUploadedFile(name, content, content_type=content_type)})
    return form


@pytest.mark.parametrize("what", WRONG_TYPES)
def test_a_wrong_type_by_content_is_refused_whatever_its_name(what):
    form = clean(*WRONG_TYPES[what])
    assert not form.is_valid()
    assert form.errors["document"] == ["The selected file must be a PDF, DOCX, XLSX or ODT"]


def test_real_documents_are_accepted_by_content():
    assert clean("plan.pdf", PDF).is_valid()
    form = clean("Deployment plan (final).docx", docx(), "application/octet-stream")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["document"].name == "Deployment-plan-final.docx"
    assert sniff(form.cleaned_data["document"]) == "docx"


def test_an_oversize_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    form = clean("plan.pdf", PDF + b"0" * 1024)
    assert not form.is_valid()
    assert form.errors["document"] == ["The selected file must be smaller than 1.0\xa0KB"]
    assert not clean("empty.pdf", b"").is_valid()


@pytest.mark.parametrize("name", PATH_TRICKS)
def test_path_tricks_in_a_name_leave_a_plain_file_name(name):
    form = clean(name, PDF)
    assert form.is_valid(), form.errors
    stored = form.cleaned_data["document"].name
    assert stored == safe_name(name, "pdf")
    assert "/" not in stored
    assert "\\" not in stored
    assert "\x00" not in stored
    assert not stored.startswith(".")
    assert stored.endswith(".pdf")
    assert len(stored) <= 84
    assert Path(stored).name == stored


# --- every upload form of the portal --------------------------------------------------------------


def upload_fields(case, role, world, client):
    with transaction.atomic():
        objects = case.setup(world) if case.setup else None
        world.client_for(client, role)
        page = client.get(case.url(world, objects))
        transaction.set_rollback(True)
    client.cookies.clear()
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return []
    return [
        n for f in page_forms(page.content.decode()) if f.method == "post" for n, k in f.fields.items() if k == "file"
    ]


def media_files(settings):
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def post_file(case, role, world, client, field, name, content, content_type, settings):
    """Post the file; returns the response and the files the post (not the case's setup) stored."""
    with transaction.atomic():
        client.cookies.clear()
        objects = case.setup(world) if case.setup else None
        world.client_for(client, role)
        data = dict(case.data(world, objects)) if case.data else {}
        data[field] = SimpleUploadedFile(name, content, content_type=content_type)
        before = media_files(settings)
        response = client.post(case.url(world, objects), data)
        stored = media_files(settings) - before
        transaction.set_rollback(True)
    return response, stored


def test_every_upload_form_refuses_hostile_files(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_MAX_BYTES = 4096
    found = []
    for case, role in POST_PARAMS:
        for field in upload_fields(case, role, world, client):
            found.append(f"{case.name}: {field}")
            refused = [*WRONG_TYPES.values(), ("big.pdf", PDF + b"0" * 5000, "application/pdf")]
            for name, content, content_type in refused:
                response, stored = post_file(case, role, world, client, field, name, content, content_type, settings)
                assert response.status_code == 200, f"{case.name}: {name} was not refused"
                assert "govuk-error-summary" in response.content.decode()
                assert not stored, f"{case.name}: a refused file was stored: {stored}"
            for name in PATH_TRICKS:
                response, _ = post_file(case, role, world, client, field, name, PDF, "application/pdf", settings)
                assert response.status_code < 500
            outside = [p for p in tmp_path.rglob("*") if p.is_file() and "media" not in p.relative_to(tmp_path).parts]
            assert not outside, f"{case.name}: files written outside MEDIA_ROOT: {outside}"
            stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
            assert all(not p.name.startswith(".") and ".." not in p.name for p in stored), stored
    assert "drafting: upload deployment plan: file" in found, found


def test_the_harness_finds_a_file_input():
    html = '<form method="post" enctype="multipart/form-data"><input type="file" name="file"></form>'
    assert page_forms(html)[0].fields == {"file": "file"}
    assert all_cases()
