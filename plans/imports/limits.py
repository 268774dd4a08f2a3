"""How much of a document the portal reads. A real Annex 2 table has tens of rows; the bench's
largest plan has 200. ``ANNEX_IMPORT_MAX_ROWS`` in the settings changes the row limit."""

from django.conf import settings

from .errors import DocumentRefused

#: tables of a Word document, sheets of a workbook, columns of a table that are looked at
MAX_TABLES = 50
MAX_SHEETS = 20
MAX_COLUMNS = 30
#: rows a table or sheet may have around the Annex 2 rows themselves (titles, header block, totals)
SLACK_ROWS = 50


def max_rows():
    return getattr(settings, "ANNEX_IMPORT_MAX_ROWS", 1000)


def too_many_rows(location, count=None):
    has = f"has {count:,} rows" if count is not None else f"has more than {max_rows() + SLACK_ROWS:,} rows"
    return DocumentRefused(
        f"The document's {location} {has}. The portal imports plans of up to {max_rows():,} rows: split the "
        "plan into smaller documents, or remove the rows that are not part of it, and upload it again."
    )


def check_row_count(count, location):
    """Refuse a table with more rows than a plan's rows and its titles (counted before reading)."""
    if count > max_rows() + SLACK_ROWS:
        raise too_many_rows(location, count)
