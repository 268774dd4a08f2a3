"""Reading Annex 2 documents (Word .docx and Excel .xlsx) into a preview of the plan they hold.

``read_document(upload, kind)`` checks the package (``safety``: zip bombs, macros) before a parser
opens it, then reads it with python-docx (``docx``) or openpyxl (``xlsx``) into tables of cells;
``preview.build_preview`` finds the Annex 2 table and its header block by their labels and turns the
rows into priorities, needs and offers with the warnings to show beside each. Nothing here touches
the database: the service ``plans.services.imports`` gives it the providers and indicators and
creates the plan.
"""

from . import docx, xlsx
from .errors import DocumentRefused
from .preview import Preview, build_preview
from .safety import check_package

READERS = {"docx": docx.read, "xlsx": xlsx.read}
KIND_LABELS = {"docx": "Word document (DOCX)", "xlsx": "Excel spreadsheet (XLSX)"}


def read_document(upload, kind):
    """The document's tables and text (a ``SourceDocument``), or ``DocumentRefused`` saying why not."""
    if kind not in READERS:
        raise DocumentRefused("The selected file must be a Word document (DOCX) or an Excel spreadsheet (XLSX)")
    check_package(upload, kind)
    return READERS[kind](upload)


__all__ = ["DocumentRefused", "KIND_LABELS", "Preview", "build_preview", "check_package", "read_document"]
