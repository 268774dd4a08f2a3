"""Reading a Word document (.docx) with python-docx: every top-level table as rows of cells, and the
paragraphs outside the tables (where a header block may be written as "Label: value").

Merged cells are read from the table's layout grid: a cell merged down over several rows
(``vMerge``) is the same cell in each of them, marked ``merged`` below its first row; a cell spanning
several columns (``gridSpan``) holds its text in its first column only. Each paragraph of a cell is
kept (a bulleted or numbered paragraph is marked as such), so several needs or offers written in one
cell can be told apart.
"""

from __future__ import annotations

from docx import Document
from docx.table import _Cell

from .errors import DocumentRefused
from .limits import MAX_TABLES, check_row_count
from .source import Cell, Paragraph, SourceDocument, SourceRow, SourceTable


def read(upload):
    upload.seek(0)
    try:
        document = Document(upload)
    except Exception as error:  # noqa: BLE001 - any failure to parse is a damaged or false document
        raise DocumentRefused(
            "The selected file could not be read as a Word document: it may be damaged. Open it in Word, "
            "save it as a Word Document (.docx) and upload it again."
        ) from error
    try:
        tables = []
        for number, table in enumerate(document.tables[:MAX_TABLES], start=1):
            check_row_count(len(table._tbl.tr_lst), f"table {number}")
            tables.append(SourceTable(location=f"table {number}", rows=_rows(table)))
        paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    except DocumentRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a table python-docx cannot walk is a damaged one
        raise DocumentRefused(
            "The selected file could not be read as a Word document: one of its tables is damaged. Open it in "
            "Word, save it as a Word Document (.docx) and upload it again."
        ) from error
    return SourceDocument(kind="docx", tables=tables, paragraphs=paragraphs)


def _paragraphs(tc, table):
    out = []
    for p in _Cell(tc, table).paragraphs:
        ppr = p._p.pPr
        numbered = ppr is not None and ppr.numPr is not None
        # the style's id ("ListBullet"), read from the paragraph: looking the style up is slow
        style = (ppr.style if ppr is not None else None) or ""
        for k, line in enumerate(p.text.split("\n")):
            out.append(Paragraph(line, bullet=(numbered or "List" in style) and k == 0))
    return [p for p in out if p.text]


def _rows(table):
    """The table's rows on its layout grid, in one pass (a merged cell takes the content of the cell
    above it in the same grid column)."""
    rows = []
    above = {}  # grid column -> the cell whose content a merged cell below continues
    for number, tr in enumerate(table._tbl.tr_lst, start=1):
        cells = []
        column = tr.grid_before
        cells.extend(Cell() for _ in range(column))
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue":
                owner = above.get(column)
                cell = Cell(list(owner.paragraphs) if owner else [], merged=True)
            else:
                cell = Cell(_paragraphs(tc, table))
                owner = cell
            cells.append(cell)
            cells.extend(Cell(merged=cell.merged) for _ in range(span - 1))
            for k in range(span):
                above[column + k] = owner if k == 0 else Cell()
            column += span
        rows.append(SourceRow(number=number, cells=cells))
    return rows
