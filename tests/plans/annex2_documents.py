"""Annex 2 documents made for the import tests, in memory (nothing binary is committed).

``seed_table()`` is the seed's Newcastle upon Tyne 2010-11 plan (``plans.demo``) written as a CSA
would write it on the Annex 2 template: each priority with its National Indicator, its needs and the
demo's offers that have text (the withdrawn one left out), with two more of the guidance's own
examples, resources as people write them ("2 days", "3 days + £4,500", "£1.2k"). The builders
write it as a Word table (priority and needs cells merged down over their offers, several needs as
bulleted paragraphs of one cell) or as a workbook (cells merged the same way, lines within a cell),
optionally adapted (headings renamed, an extra column). The hostile ones: a zip bomb, a macro-enabled
document renamed .docx, thousands of rows, a damaged file.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from docx import Document
from openpyxl import Workbook

from plans.demo import drafting as demo_drafting
from plans.demo import offers as demo_offers

HEADINGS = ["Priority", "Needs", "Provider", "Offer", "Resources", "Notes"]
#: the same columns renamed, in another order, with a column of the region's own
ADAPTED_HEADINGS = [
    "Local priority",
    "Improvement support needs",
    "Improvement Support Provider",
    "Examples of tailored support",
    "Lead officer",
    "Days / funding",
    "Comments",
]
HEADER = {
    "Local Authority/ Children's Trust": "Newcastle upon Tyne",
    "Director of Children's Services": "Sam Okafor",
    "Government Office": "Government Office for the North East",
    "Children's Services Adviser": "Chris Adviser",
}
PROVIDER_NAMES = {
    "RTPC": "Regional Teenage Pregnancy Coordinator",
    "NS": "National Strategies",
    "TfC": "Together for Children",
    "TPNST": "Teenage Pregnancy National Support Team",
}


@dataclass
class OfferSpec:
    provider: str  # as written in the document
    abbreviation: str  # the provider it should match
    text: str
    resources: str
    days: Decimal | None
    funding: Decimal | None
    notes: str = ""


@dataclass
class PrioritySpec:
    title: str
    ni: int | None
    needs: list[str]
    offers: list[OfferSpec] = field(default_factory=list)

    @property
    def written(self):
        """The priority as written in the document's priority cell."""
        return f"{self.title} (NI {self.ni})" if self.ni else self.title


def _resources(days, funding):
    parts = []
    if days is not None:
        parts.append(f"{days.normalize():f} day{'s' if days != 1 else ''}")
    if funding is not None:
        parts.append(f"£{funding:,.0f}")
    return " + ".join(parts)


def seed_table():
    """The seed's Annex 2 table (see the module docstring), as ``PrioritySpec``s."""
    specs = []
    for spec in demo_drafting.PRIORITIES:
        ni = spec["indicators"][0] if spec["indicators"] else None
        specs.append(PrioritySpec(title=spec["title"], ni=ni, needs=[text for text, _ in spec["needs"]]))
    by_title = {p.title: p for p in specs}
    for title, abbreviation, status, _message, fields, _timeline in demo_offers._offers():
        if status == demo_offers.O.WITHDRAWN or not fields.get("description"):
            continue
        days, funding = fields.get("days"), fields.get("funding")
        by_title[title].offers.append(
            OfferSpec(
                provider=abbreviation if abbreviation != "RTPC" else PROVIDER_NAMES["RTPC"],
                abbreviation=abbreviation,
                text=fields["description"],
                resources=_resources(days, funding),
                days=days,
                funding=funding,
                notes=fields.get("notes", ""),
            )
        )
    teenage = by_title[demo_drafting.TEENAGE_PREGNANCY]
    teenage.offers += [
        OfferSpec(
            provider="RTPC",
            abbreviation="RTPC",
            text="By July 2010, provide advice to help local managers develop a business case for new "
            "contraception funding",
            resources="£1.2k",
            days=None,
            funding=Decimal("1200"),
        ),
        OfferSpec(
            provider=PROVIDER_NAMES["TPNST"],
            abbreviation="TPNST",
            text="By September 2010, the Teenage Pregnancy National Support Team will have conducted an intensive "
            "3 day diagnostic visit and reported on local services",
            resources="3 days + £4,500",
            days=Decimal("3"),
            funding=Decimal("4500"),
        ),
    ]
    return specs


# --- Word -----------------------------------------------------------------------------------------


def _header_table(document, header):
    table = document.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    labels = list(header.items())
    for i, (label, value) in enumerate(labels):
        row, col = divmod(i, 2)
        table.cell(row, col * 2).text = label
        table.cell(row, col * 2 + 1).text = value


def _set_paragraphs(cell, lines, *, bullets=False):
    cell.text = lines[0] if lines else ""
    if bullets and lines:
        cell.paragraphs[0].style = "List Bullet"
    for line in lines[1:]:
        cell.add_paragraph(line, style="List Bullet" if bullets else None)


def docx_bytes(specs=None, *, header=HEADER, headings=HEADINGS, merge=True, title_row=True, extra=None, before=None):
    """The table as a Word document. ``merge``: each priority's priority and needs cells merged down
    over its offer rows (else written on its first row only). ``extra``: {heading: text} of columns
    of the document's own, for the first row of each priority. ``before``: paragraphs above."""
    specs = seed_table() if specs is None else specs
    document = Document()
    document.add_heading("Joint Improvement Support Plan 2010-11", level=1)
    for text in before or []:
        document.add_paragraph(text)
    if header:
        _header_table(document, header)
        document.add_paragraph("")
    roles = [_role(h) for h in headings]
    table = document.add_table(rows=0, cols=len(headings))
    table.style = "Table Grid"
    if title_row:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = "Improvement Support"
    for i, cell in enumerate(table.add_row().cells):
        cell.text = headings[i]
    for spec in specs:
        offers = spec.offers or [None]
        first = len(table.rows)
        for k, offer in enumerate(offers):
            cells = table.add_row().cells
            values = _values(spec, offer, first_row=k == 0, extra=extra)
            for i, role in enumerate(roles):
                if role in ("priority", "needs") and k > 0:
                    continue
                lines = values.get(role, [])
                _set_paragraphs(cells[i], lines, bullets=role == "needs" and len(lines) > 1)
        if merge and len(offers) > 1:
            for i, role in enumerate(roles):
                if role in ("priority", "needs"):
                    table.cell(first, i).merge(table.cell(first + len(offers) - 1, i))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _role(heading):
    from plans.imports.tables import role_of

    return role_of(heading) or heading


def _values(spec, offer, *, first_row, extra):
    values = {"priority": [spec.written] if first_row else [], "needs": list(spec.needs) if first_row else []}
    if offer is not None:
        values.update(
            provider=[offer.provider],
            offer=[offer.text],
            resources=[offer.resources] if offer.resources else [],
            days=[offer.resources] if offer.resources else [],
            funding=[offer.resources] if offer.resources else [],
            notes=[offer.notes] if offer.notes else [],
        )
    for heading, text in (extra or {}).items():
        values[heading] = [text] if first_row else []
    return values


# --- Excel ----------------------------------------------------------------------------------------


def xlsx_bytes(specs=None, *, header=HEADER, headings=HEADINGS, merge=True, extra=None, sheet_title="JISP 2010-11"):
    """The table as a workbook: the header block, then the table from row 5; priority and needs
    cells merged down over their offers (``merge``), several needs as lines of one cell."""
    specs = seed_table() if specs is None else specs
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title
    ws.append(["Joint Improvement Support Plan 2010-11"])
    if header:
        labels = list(header.items())
        ws.append([labels[0][0], labels[0][1], labels[1][0], labels[1][1]])
        ws.append([labels[2][0], labels[2][1], labels[3][0], labels[3][1]])
    else:
        ws.append([])
        ws.append([])
    ws.append([])
    roles = [_role(h) for h in headings]
    ws.append(list(headings))
    for spec in specs:
        offers = spec.offers or [None]
        first = ws.max_row + 1
        for k, offer in enumerate(offers):
            values = _values(spec, offer, first_row=k == 0, extra=extra)
            ws.append(["\n".join(values.get(role, [])) or None for role in roles])
        if merge and len(offers) > 1:
            for i, role in enumerate(roles, start=1):
                if role in ("priority", "needs"):
                    ws.merge_cells(start_row=first, start_column=i, end_row=first + len(offers) - 1, end_column=i)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- hostile files --------------------------------------------------------------------------------


def many_rows_docx(rows=5000):
    """An Annex 2 Word table of ``rows`` offers (rows copied in the XML: python-docx adds rows slowly)."""
    spec = PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=112,
        needs=["A need"],
        offers=[OfferSpec("TfC", "TfC", "By May 2010, an offer", "1 day", Decimal(1), None)],
    )
    data = docx_bytes([spec], header=None, title_row=False)
    document = Document(io.BytesIO(data))
    tbl = document.tables[0]._tbl
    template = tbl.tr_lst[-1]
    for n in range(rows - 1):
        row = copy.deepcopy(template)
        texts = row.xpath(".//w:t")
        texts[0].text = f"Priority {n}"
        tbl.append(row)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def many_rows_xlsx(rows=5000):
    workbook = Workbook()
    ws = workbook.active
    ws.append(HEADINGS)
    for n in range(rows):
        ws.append([f"Priority {n}", "A need", "TfC", f"By May 2010, offer {n}", "1 day", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rezip(data, *, add=(), replace=None, skip=()):
    """A copy of the package ``data`` with parts added (name, bytes or a callable writing to a
    stream) and parts' bytes changed by ``replace`` {name: function(bytes) -> bytes}."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in skip:
                continue
            content = source.read(info)
            if info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add:
            if callable(content):
                with target.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                target.writestr(name, content)
    return out.getvalue()


def _zeros(megabytes):
    def write(stream):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(chunk)

    return write


def zip_bomb_docx(megabytes=120):
    """A real Word document carrying a part that expands to ``megabytes`` MB from a few hundred KB."""
    return _rezip(docx_bytes(), add=[("word/media/padding.bin", _zeros(megabytes))])


def ratio_bomb_xlsx(megabytes=30):
    """Below the size limit in all, but one part expands a thousandfold."""
    return _rezip(xlsx_bytes(), add=[("xl/media/padding.bin", _zeros(megabytes))])


def macro_docx():
    """A macro-enabled Word document (.docm) given a .docx name: a VBA project and the docm content type."""

    def docm(types):
        return types.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )

    return _rezip(
        docx_bytes(), add=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0fake vba")], replace={"[Content_Types].xml": docm}
    )


def entity_bomb_docx():
    """A Word document whose main part declares nested entities (a "billion laughs")."""
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'.encode() for i in range(1, 9)
        )
        + b"]>"
    )
    return _rezip(docx_bytes(), replace={"word/document.xml": lambda xml: laughs + xml.split(b"?>", 1)[1]})


def damaged_docx():
    """A package a sniffer takes for a Word document whose main part is not XML."""
    return _rezip(docx_bytes(), replace={"word/document.xml": lambda xml: b"\x00\x01 this is not xml" + xml[:100]})


def damaged_xlsx():
    return _rezip(xlsx_bytes(), replace={"xl/workbook.xml": lambda xml: xml[: len(xml) // 2]})
