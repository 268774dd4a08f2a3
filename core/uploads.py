"""Checks for uploaded documents (deployment plans and any later upload), shared by every form.

``DocumentField`` is a forms.FileField that refuses, with GOV.UK error messages: a file over
``settings.UPLOAD_MAX_BYTES``; a file whose *content* is not one of the allowed kinds (the name and
the browser's content type are not trusted: a script renamed ``plan.pdf`` is refused); and it gives
the file a safe name (``safe_name``) so no path in the name can place it outside its folder.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

#: kind -> the extension a stored file of that kind gets
KINDS = {
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "odt": ".odt",
}
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def sniff(upload: IO[bytes]) -> str | None:
    """The kind of document the bytes are (``pdf``, ``docx``, ``xlsx``, ``odt``) or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        for kind, marker in ZIP_MARKERS.items():
            # Office Open XML packages also carry their content-types part
            if marker in names and (kind == "odt" or "[Content_Types].xml" in names):
                return kind
    return None


def safe_name(name: str, kind: str | None = None) -> str:
    """The last part of ``name`` (either slash), without control characters, dots at the start or
    anything but letters, digits, ``-``, ``_`` and ``.``; the extension is the one of ``kind``."""
    base = PureWindowsPath(PurePosixPath(str(name).replace("\x00", "")).name).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", base.rsplit(".", 1)[0] if "." in base else base).strip(".-_")
    stem = stem[:80] or "document"
    return f"{stem}{KINDS[kind] if kind else ''}"


def too_big_message() -> str:
    return f"The selected file must be smaller than {filesizeformat(settings.UPLOAD_MAX_BYTES)}"


class DocumentField(forms.FileField):
    def __init__(self, *args: Any, kinds: Iterable[str] = ("pdf", "docx", "xlsx", "odt"), **kwargs: Any) -> None:
        self.kinds = tuple(kinds)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", "Select a file")
        kwargs["error_messages"].setdefault("empty", "The selected file is empty")
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_big_message())
        kind = sniff(upload)
        if kind not in self.kinds:
            names = ", ".join(k.upper() for k in self.kinds[:-1]) + f" or {self.kinds[-1].upper()}"
            raise forms.ValidationError(f"The selected file must be a {names}")
        upload.original_name = upload.name
        upload.name = safe_name(upload.name, kind)
        upload.sniffed_kind = kind
        return upload
