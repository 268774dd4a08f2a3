"""What a reader takes out of a document before anything is interpreted: tables (a Word table or a
spreadsheet) as rows of cells, each cell as its paragraphs, plus the loose text around them.

The readers (``docx``, ``xlsx``) produce a ``SourceDocument``; ``tables`` finds the Annex 2 table and
the header block in it, whatever the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

BULLET_RE = re.compile(r"^\s*(?:[•·▪◦‣●○■□➢►\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


@dataclass
class Paragraph:
    text: str
    bullet: bool = False

    def __post_init__(self):
        text = (self.text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
        text = text.replace("_x000D_", "")
        marker = BULLET_RE.match(text)
        if marker:
            self.bullet = True
            text = text[marker.end() :]
        self.text = text.strip()


@dataclass
class Cell:
    """A cell's paragraphs. ``merged``: the cell continues the one above it (a vertically merged
    Word cell), so it holds nothing new. ``value``: the spreadsheet value when it is not text (a
    number or a date)."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    merged: bool = False
    value: Any = None

    @classmethod
    def of_text(cls, text, *, value=None):
        lines = str(text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return cls([Paragraph(line) for line in lines if line.strip()], value=value)

    @property
    def items(self):
        return [p for p in self.paragraphs if p.text]

    @property
    def text(self):
        return "\n".join(p.text for p in self.items)

    @property
    def is_blank(self):
        return not self.items and self.value in (None, "")


EMPTY = Cell()


@dataclass
class SourceRow:
    number: int  # 1-based: the row of the Word table, or the spreadsheet's row number
    cells: list[Cell]

    def cell(self, index):
        return self.cells[index] if index is not None and 0 <= index < len(self.cells) else EMPTY

    @property
    def is_blank(self):
        return all(c.is_blank or c.merged for c in self.cells)


@dataclass
class SourceTable:
    """One Word table or one worksheet."""

    location: str  # "table 2", "sheet “JISP 2010-11”"
    rows: list[SourceRow]


@dataclass
class SourceDocument:
    kind: str  # "docx" or "xlsx"
    tables: list[SourceTable]
    paragraphs: list[str] = field(default_factory=list)  # text outside the tables (Word only)
