"""Checks on an Office Open XML package (a .docx or .xlsx is a zip of XML parts) made before any
parser opens it, so a hostile file is refused cheaply, from the zip's directory alone:

- a zip bomb: more parts than a document has, more uncompressed bytes (in all, or of XML to parse)
  than a plan needs, or a part that expands far more than text does when compressed;
- macros: a VBA project or a macro-enabled content type (a .docm or .xlsm renamed .docx or .xlsx),
  and ActiveX controls;
- XML with a document type declaration (entities): Word and Excel never write one, and entity
  expansion is the classic way to make a small part huge.

The limits can be changed in the settings (``ANNEX_IMPORT_*``); the defaults allow any real plan.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errors import DocumentRefused

#: (setting, default)
LIMITS = {
    "max_members": ("ANNEX_IMPORT_MAX_PARTS", 2000),
    "max_total": ("ANNEX_IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024),
    "max_xml": ("ANNEX_IMPORT_MAX_XML_BYTES", 25 * 1024 * 1024),
    "max_ratio": ("ANNEX_IMPORT_MAX_RATIO", 200),
}
#: parts smaller than this are not judged by their compression ratio (tiny parts compress oddly)
RATIO_FLOOR = 1024 * 1024
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
MACRO_FOLDERS = ("word/activex/", "xl/activex/")
LABELS = {"docx": "Word document", "xlsx": "Excel spreadsheet"}
MACRO_FREE = {"docx": "Word Document (.docx)", "xlsx": "Excel Workbook (.xlsx)"}


def limit(name):
    setting, default = LIMITS[name]
    return getattr(settings, setting, default)


def _is_xml(name):
    return name.lower().endswith((".xml", ".rels"))


def check_package(upload, kind):
    """Refuse (``DocumentRefused``) a package that is damaged, a zip bomb, carries macros or has XML
    with a document type declaration. Reads the zip's directory, ``[Content_Types].xml`` and the
    first bytes of each XML part; leaves the file at its start."""
    label = LABELS.get(kind, "document")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _check_sizes(infos, label)
            _check_macros(archive, infos, kind, label)
            _check_declarations(archive, infos, label)
    except zipfile.BadZipFile as error:
        raise DocumentRefused(
            f"The selected file could not be read as a {label}: it is damaged. Open it, save it again and upload it."
        ) from error
    finally:
        upload.seek(0)


def _check_sizes(infos, label):
    if len(infos) > limit("max_members"):
        raise DocumentRefused(
            f"The selected file has {len(infos):,} parts inside it, more than a {label} of a plan ever has. "
            "It was not opened."
        )
    total = sum(info.file_size for info in infos)
    xml = sum(info.file_size for info in infos if _is_xml(info.filename))
    if total > limit("max_total") or xml > limit("max_xml"):
        size = max(total, xml)
        raise DocumentRefused(
            f"The selected file expands to {filesizeformat(size)} when it is opened, more than the "
            f"{filesizeformat(limit('max_total') if total > limit('max_total') else limit('max_xml'))} the portal reads. "
            "It was not opened: it may be a “zip bomb”. Save the plan as a new file and upload that."
        )
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FLOOR and total > limit("max_ratio") * max(packed, 1):
        raise _bomb(total, packed)
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > limit("max_ratio") * max(info.compress_size, 1):
            raise _bomb(info.file_size, info.compress_size)


def _bomb(size, packed):
    return DocumentRefused(
        f"The selected file was not opened: part of it expands from {filesizeformat(packed)} to "
        f"{filesizeformat(size)}, which no real document does (it looks like a “zip bomb”)."
    )


def _check_macros(archive, infos, kind, label):
    names = [info.filename.lower() for info in infos]
    has_macros = any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names) or any(
        name.startswith(MACRO_FOLDERS) for name in names
    )
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        info = None
    if info is not None and info.file_size <= 1024 * 1024:
        types = archive.read(info).lower()
        has_macros = has_macros or b"macroenabled" in types or b"vbaproject" in types
    if has_macros:
        raise DocumentRefused(
            f"The selected file contains macros (it is a macro-enabled {label}, whatever its name says). "
            f"The portal does not accept files with macros: save it as a {MACRO_FREE.get(kind, label)} "
            "and upload that."
        )


def _check_declarations(archive, infos, label):
    for info in infos:
        if not _is_xml(info.filename) or info.file_size == 0:
            continue
        with archive.open(info) as part:
            head = part.read(2048)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise DocumentRefused(
                f"The selected file could not be read as a {label}: part of it declares XML entities, "
                "which Word and Excel never write. It was not opened."
            )
