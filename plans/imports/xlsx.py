"""Reading an Excel workbook (.xlsx) with openpyxl, read-only and with cached values (a formula is
never evaluated, its last value is read): every worksheet as rows of cells, up to the row limit.

A cell's lines (Alt+Enter in Excel) are its paragraphs. A cell merged over several rows holds its
value in its first row only, so the rows below show it blank — the table reader treats a blank
priority or provider as continuing the row above, which is what a merged cell means. Numbers stay
numbers (``value``) and dates stay dates, for the resources and deliver-by columns.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import load_workbook

from .errors import DocumentRefused
from .limits import MAX_COLUMNS, MAX_SHEETS, SLACK_ROWS, max_rows, too_many_rows
from .source import Cell, SourceDocument, SourceRow, SourceTable

#: a sheet's table is over after this many blank rows in a row
BLANK_RUN = 100


def read(upload):
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of extensions it does not read
            workbook = load_workbook(upload, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - any failure to parse is a damaged or false workbook
        raise DocumentRefused(
            "The selected file could not be read as an Excel spreadsheet: it may be damaged. Open it in Excel, "
            "save it as an Excel Workbook (.xlsx) and upload it again."
        ) from error
    try:
        tables = [_sheet(ws) for ws in workbook.worksheets[:MAX_SHEETS]]
    except DocumentRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet openpyxl cannot walk is a damaged one
        raise DocumentRefused(
            "The selected file could not be read as an Excel spreadsheet: one of its sheets is damaged. Open it "
            "in Excel, save it as an Excel Workbook (.xlsx) and upload it again."
        ) from error
    finally:
        workbook.close()
    return SourceDocument(kind="xlsx", tables=tables)


def _sheet(ws):
    location = f"sheet “{ws.title}”"
    rows = []
    filled = blank_run = 0
    for number, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        cells = [_cell(v) for v in values]
        if all(c.is_blank for c in cells):
            blank_run += 1
            if blank_run >= BLANK_RUN and filled:
                break
            continue
        blank_run = 0
        filled += 1
        if filled > max_rows() + SLACK_ROWS:
            raise too_many_rows(location)
        rows.append(SourceRow(number=number, cells=cells))
    return SourceTable(location=location, rows=rows)


def _number_text(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)).normalize(), "f")
    return text


def _cell(value):
    if value is None:
        return Cell()
    if isinstance(value, datetime):
        return Cell.of_text(value.date().isoformat(), value=value.date())
    if isinstance(value, date):
        return Cell.of_text(value.isoformat(), value=value)
    if isinstance(value, time):
        return Cell()
    if isinstance(value, int | float | Decimal):
        return Cell.of_text(_number_text(value), value=value)
    return Cell.of_text(str(value))
