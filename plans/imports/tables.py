"""Finding the Annex 2 table and the header block in a document, by their labels rather than their
positions, whichever reader the document came from.

The Annex 2 table is the one with a heading row naming (at least) the priority, the provider and the
offer; the template "may be adapted to suit regional and local circumstances", so headings are
recognised by meaning ("Improvement support provider", "Examples of tailored support", "Resources
(£)") and columns in any order; a column that is not part of Annex 2 is kept as an extra column.
The guidance's own example table (National Indicator / Improvement Support Provider / Examples of
Tailored Support) is read too, each indicator standing for its priority.

The header block is the four labels of the template (Local Authority/ Children's Trust, Director of
Children's Services, Government Office, Children's Services Adviser), each followed by its value in
the next cell, or written as "Label: value" in a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import DocumentRefused
from .limits import max_rows, too_many_rows

#: what each kind of column is called in messages
ROLE_LABELS = {
    "priority": "Priority",
    "needs": "Needs",
    "provider": "Provider",
    "offer": "Offer",
    "resources": "Resources",
    "days": "Resources (days)",
    "funding": "Resources (£)",
    "notes": "Notes",
    "indicators": "National Indicator",
    "deliver_by": "Deliver by",
    "status": "Offer status",
}

_SYNONYMS = {
    "priority": "priority|priorities|local priority|local priorities|priority area|priority areas|improvement priority|"
    "improvement priorities|agreed priorities|agreed priority",
    "needs": "needs|need|support needs|improvement support needs|identified needs|improvement needs",
    "provider": "provider|providers|improvement support provider|improvement support providers|provider field force|"
    "providers field forces|field force|field forces|delivered by|lead provider|support provider",
    "offer": "offer|offers|offer of support|offers of support|tailored support|examples of tailored support|"
    "support offered|tailored offer|tailored offers|offer of tailored support|actions|activity|activities",
    "resources": "resources|resource",
    "days": "days|resources days|days of support|number of days|support days",
    "funding": "funding|resources £|£|cost|costs|budget|funding £",
    "notes": "notes|note|comments|local notes|notes for local use",
    "indicators": "national indicator|national indicators|ni|nis|indicator|indicators|ni number|ni numbers|"
    "national indicator set",
    "status": "status|offer status",
    "deliver_by": "deliver by|by when|timescale|timescales|deadline|target date|date|completion date|when",
}
EXACT = {variant: role for role, variants in _SYNONYMS.items() for variant in variants.split("|")}

#: the header block's labels, normalised
HEADER_LABELS = {
    "authority": {"local authority childrens trust", "local authority", "authority", "la", "childrens trust"},
    "dcs": {"director of childrens services", "dcs"},
    "government_office": {"government office", "go"},
    "csa": {"childrens services adviser", "childrens services advisor", "csa"},
}
HEADER_NAMES = {
    "authority": "Local Authority/ Children's Trust",
    "dcs": "Director of Children's Services",
    "government_office": "Government Office",
    "csa": "Children's Services Adviser",
}
#: the template's guidance row under the headings ("This column should record ...")
GUIDANCE_RE = re.compile(r"^this column (should|is for)", re.I)
#: how far down a table or sheet its heading row is looked for
HEADING_SEARCH_ROWS = 40


def normalise(text):
    text = (text or "").casefold().replace("’", "").replace("'", "").replace("&", " and ")
    text = re.sub(r"[^0-9a-z£]+", " ", text)
    return " ".join(text.split())


def role_of(heading):
    """What an Annex 2 heading is (a key of ``ROLE_LABELS``), or None for a column of its own."""
    text = normalise(heading.split("\n", 1)[0] if heading else "")
    if not text:
        return None
    if text in EXACT:
        return EXACT[text]
    words = set(text.split())
    if "status" in words:
        return "status"
    if "indicator" in text or words & {"ni", "nis"}:
        return "indicators"
    if "priorit" in text:
        return "priority"
    if "need" in text:
        return "needs"
    if "provider" in text or "field force" in text:
        return "provider"
    if "offer" in text or "tailored support" in text:
        return "offer"
    money = "£" in text or bool(words & {"funding", "cost", "costs", "budget", "money"})
    days = bool(words & {"day", "days"})
    if money and days or "resource" in text:
        return "resources"
    if money:
        return "funding"
    if days:
        return "days"
    if words & {"note", "notes", "comment", "comments"}:
        return "notes"
    if "deliver" in text or "timescale" in text or "deadline" in text:
        return "deliver_by"
    return None


@dataclass
class Column:
    index: int
    heading: str
    role: str | None  # None: a column of the document's own, kept in the notes


@dataclass
class Annex2Table:
    location: str
    heading_row: int
    columns: list[Column]
    rows: list  # SourceRow, the table's rows under its headings

    def index(self, role):
        for column in self.columns:
            if column.role == role:
                return column.index
        return None

    @property
    def roles(self):
        return {c.role for c in self.columns if c.role}

    @property
    def extra_columns(self):
        return [c for c in self.columns if c.role is None and c.heading]


def _columns(row):
    columns, seen = [], set()
    for index, cell in enumerate(row.cells):
        if cell.merged:
            continue
        heading = cell.text.strip()
        role = role_of(heading)
        if role in seen:
            role = None  # a second column of the same kind is kept as a column of its own
        if role:
            seen.add(role)
        columns.append(Column(index=index, heading=heading.split("\n", 1)[0], role=role))
    return columns


def _complete(roles):
    return "offer" in roles and "provider" in roles and ("priority" in roles or "indicators" in roles)


def _missing(roles):
    wanted = ["priority", "provider", "offer"]
    if "indicators" in roles:
        wanted.remove("priority")
    return [ROLE_LABELS[r] for r in wanted if r not in roles]


def _words(labels):
    labels = [f"“{label}”" for label in labels]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def find_table(document):
    """The Annex 2 table of the document (``DocumentRefused`` naming what was not found)."""
    best = None  # (number of roles, table, row index, columns)
    for table in document.tables:
        for position, row in enumerate(table.rows[:HEADING_SEARCH_ROWS]):
            columns = _columns(row)
            roles = {c.role for c in columns if c.role}
            if _complete(roles):
                return _table(table, position, columns)
            if len(roles) >= 2 and (best is None or len(roles) > best[0]):
                best = (len(roles), table, row, columns)
    if not document.tables:
        raise DocumentRefused(
            "The document has no table. An Annex 2 plan is a table with the columns Priority, Needs, Provider, "
            "Offer, Resources and Notes: check you selected the right file."
        )
    if best is None:
        raise DocumentRefused(
            "The document has no Annex 2 table: no table has a heading row naming the Priority, Provider and "
            "Offer columns (the template's columns are Priority, Needs, Provider, Offer, Resources and Notes). "
            "Add the headings to the table and upload it again."
        )
    _, table, row, columns = best
    found = [c.heading for c in columns if c.role]
    roles = {c.role for c in columns if c.role}
    missing = _missing(roles)
    raise DocumentRefused(
        f"The document has no complete Annex 2 table. The nearest is {table.location}, with the headings "
        f"{_words(found)}, but no {' or '.join(f'“{m}”' for m in missing)} column was found. Name the columns "
        "as on the Annex 2 template (Priority, Needs, Provider, Offer, Resources, Notes) and upload it again."
    )


def _table(table, position, columns):
    headings = [normalise(c.heading) for c in columns]
    rows = []
    for row in table.rows[position + 1 :]:
        texts = [row.cell(c.index).text for c in columns]
        first = next((t for t in texts if t.strip()), "")
        if normalise(first).startswith("total"):
            break  # the totals under the table (the portal's own export has them)
        if [normalise(t.split("\n", 1)[0]) for t in texts] == headings:
            continue  # the heading row repeated (a table pasted page by page)
        if any(GUIDANCE_RE.match(t.strip()) for t in texts if t.strip()):
            continue  # the template's own guidance under the headings
        if row.is_blank:
            continue
        rows.append(row)
        if len(rows) > max_rows():
            raise too_many_rows(table.location)
    return Annex2Table(location=table.location, heading_row=table.rows[position].number, columns=columns, rows=rows)


def _header_key(text):
    text = normalise(text)
    for key, labels in HEADER_LABELS.items():
        if text in labels:
            return key
    return None


def find_header(document, annex2=None):
    """The header block's values found in the document: {"authority": ..., "dcs": ..., ...}. The
    Annex 2 table's own rows are not searched (an authority named in an offer is not a header)."""
    found = {}
    for table in document.tables:
        rows = table.rows
        if annex2 is not None and table.location == annex2.location:
            rows = [r for r in rows if r.number < annex2.heading_row]
        for row in rows[:HEADING_SEARCH_ROWS]:
            cells = [c for c in row.cells if not c.merged]
            skip = -1
            for i, cell in enumerate(cells):
                if i <= skip:
                    continue
                key = _header_key(cell.text) if len(cell.text) < 60 else None
                if key is None:
                    continue
                value = next(((j, c.text) for j, c in enumerate(cells[i + 1 :], start=i + 1) if c.text.strip()), None)
                if value is None:
                    continue
                j, text = value
                if _header_key(text):
                    continue  # the next label, not a value: this one was left blank
                found.setdefault(key, " ".join(text.split()))
                skip = j
    for paragraph in document.paragraphs[:200]:
        label, sep, value = paragraph.partition(":")
        key = _header_key(label) if sep else None
        if key and value.strip():
            found.setdefault(key, " ".join(value.split()))
    return found
