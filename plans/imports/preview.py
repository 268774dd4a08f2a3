"""The preview of an import: every priority, need and offer as it will be created, each with what the
person importing should check or choose beside it. Plain data (dataclasses) that round-trips
through JSON, so a page can show it and a service can act on it.

How the Annex 2 table's rows become a plan:

- A row whose priority cell names a new priority starts it; a blank or merged priority cell (or the
  same text again) continues the priority above. Without a priority column, the National Indicator
  column stands for the priority (the guidance's own example table).
- Each paragraph or bullet of a needs cell is a need; a merged or repeated needs cell adds none.
- Each paragraph or bullet of an offer cell is an offer ("By May 2010, …"), from the provider on the
  same row (several providers, one per line, pair with several offers); a blank or merged provider
  cell continues the provider above. Resources, notes and deliver-by pair up the same way; given
  once for several offers they go with the first.
- Resources are read into days and £ (``parsing.parse_resources``); text that is not understood is
  kept in the offer's notes. A deliver-by date is taken from a deliver-by column or from the offer's
  "By <month year>" and must fall within the plan's period.
- A column the template does not have is kept, as "Heading: text", in the offer's notes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from .errors import DocumentRefused
from .matching import DECIDED, EMPTY, Candidate, ProviderMatcher
from .parsing import deliver_by_in, find_indicators, parse_date, parse_resources, split_items
from .tables import HEADER_NAMES, ROLE_LABELS, find_header, find_table, normalise

TITLE_MAX = 300
#: the choice that leaves an offer out of the import
SKIP = "skip"
CHOICE, WARNING, INFO = "choice", "warning", "info"
#: an offer the document marks as never agreed (the portal's own export of a draft has them)
SKIPPED_STATUSES = {"withdrawn", "declined", "invited"}
ACCEPTED_STATUSES = {"", "accepted", "agreed", "approved", "confirmed"}


@dataclass
class Issue:
    message: str
    level: str = WARNING  # CHOICE: the person importing must choose; WARNING: check it; INFO: for the record


@dataclass
class NeedRow:
    description: str
    from_workforce_tool: bool = False


@dataclass
class OfferRow:
    key: str  # "r12", or "r12-2" for the second offer written in row 12
    source_row: int
    provider_text: str
    match_status: str
    provider: Candidate | None
    candidates: list[Candidate]
    description: str
    deliver_by: str | None = None  # ISO date
    days: str | None = None  # a decimal, as text
    funding: str | None = None
    resources_text: str = ""
    notes: str = ""
    need_index: int | None = None  # which of the priority's needs the offer answers
    issues: list[Issue] = field(default_factory=list)

    @property
    def needs_choice(self):
        return self.match_status not in DECIDED or self.provider is None

    @property
    def exact(self):
        return self.match_status == "exact"

    @property
    def deliver_by_date(self):
        return date.fromisoformat(self.deliver_by) if self.deliver_by else None

    @property
    def days_value(self):
        return Decimal(self.days) if self.days is not None else None

    @property
    def funding_value(self):
        return Decimal(self.funding) if self.funding is not None else None


@dataclass
class PriorityRow:
    source_row: int
    title: str
    description: str = ""
    is_workforce: bool = False
    indicators: list[int] = field(default_factory=list)
    unknown_indicators: list[int] = field(default_factory=list)
    needs: list[NeedRow] = field(default_factory=list)
    offers: list[OfferRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def span(self):
        return max(1, len(self.offers))


@dataclass
class Preview:
    kind: str
    location: str
    columns: list[list[str]]  # [heading, role or ""]
    header: dict[str, str]
    priorities: list[PriorityRow]
    issues: list[Issue] = field(default_factory=list)

    @property
    def offers(self):
        return [offer for priority in self.priorities for offer in priority.offers]

    @property
    def to_choose(self):
        return [offer for offer in self.offers if offer.needs_choice]

    @property
    def choosable(self):
        """Offers whose provider the person importing may choose or change (all but exact matches)."""
        return [offer for offer in self.offers if not offer.exact]

    @property
    def need_count(self):
        return sum(len(p.needs) for p in self.priorities)

    @property
    def warning_count(self):
        rows = [i for p in self.priorities for i in p.issues] + [i for o in self.offers for i in o.issues]
        return sum(1 for i in rows + self.issues if i.level != INFO)

    @property
    def header_rows(self):
        return [(HEADER_NAMES[key], self.header[key]) for key in HEADER_NAMES if self.header.get(key)]

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        def candidate(c):
            return Candidate(**c) if c else None

        def offer(o):
            return OfferRow(
                **{
                    **o,
                    "provider": candidate(o["provider"]),
                    "candidates": [candidate(c) for c in o["candidates"]],
                    "issues": [Issue(**i) for i in o["issues"]],
                }
            )

        def priority(p):
            return PriorityRow(
                **{
                    **p,
                    "needs": [NeedRow(**n) for n in p["needs"]],
                    "offers": [offer(o) for o in p["offers"]],
                    "issues": [Issue(**i) for i in p["issues"]],
                }
            )

        return cls(
            **{
                **data,
                "priorities": [priority(p) for p in data["priorities"]],
                "issues": [Issue(**i) for i in data["issues"]],
            }
        )


# --- building the preview -------------------------------------------------------------------------


def period_end(period):
    return date(int(period[:4]) + 1, 3, 31)


def _pair(items, count):
    """Items of a cell given per offer (same count), or all of them for the first offer."""
    if count > 1 and len(items) == count:
        return items
    return ["\n".join(items)] + [""] * (count - 1) if count else []


def _title_and_description(items):
    if not items:
        return "", ""
    title, rest = items[0], items[1:]
    description = "\n".join(rest)
    if len(title) > TITLE_MAX:
        cut = title[:TITLE_MAX].rsplit(" ", 1)[0] or title[:TITLE_MAX]
        description = "\n".join([title, *rest])
        title = cut.rstrip(" ,;:-") + "…"
    return " ".join(title.split("\n")), description


def _number(value):
    return format(value.normalize(), "f") if value is not None else None


class _Builder:
    def __init__(self, table, *, providers, indicators, period):
        self.table = table
        self.matcher = ProviderMatcher(providers)
        self.known = dict(indicators)
        self.period = period
        self.end = period_end(period)
        self.col = {role: table.index(role) for role in ROLE_LABELS}
        self.extra = table.extra_columns
        self.priorities = []
        self.skipped = []

    def cell(self, row, role):
        return row.cell(self.col.get(role))

    def build(self):
        current = None
        last_priority_text = None
        provider_above = ""
        need_above = None
        for row in self.table.rows:
            source = self.cell(row, "priority") if self.col["priority"] is not None else self.cell(row, "indicators")
            text = source.text
            new_priority = bool(text) and not source.merged and normalise(text) != last_priority_text
            if new_priority:
                current = self._priority(row, source)
                last_priority_text = normalise(text)
                provider_above, need_above = "", None
            elif current is None:
                current = PriorityRow(
                    source_row=row.number,
                    title="Priority not named in the document",
                    issues=[Issue(f"Row {row.number} has no priority: its needs and offers are put under this one.")],
                )
                self.priorities.append(current)
            self._indicators(current, row, with_priority_cell=new_priority)
            need_above = self._needs(current, row, need_above)
            provider_above = self._offers(current, row, provider_above, need_above)
        return self.priorities

    def _priority(self, row, source):
        items = split_items(source.items)
        title, description = _title_and_description(items)
        priority = PriorityRow(source_row=row.number, title=title, description=description)
        if len(" ".join(items)) > TITLE_MAX and len(items[0]) > TITLE_MAX:
            priority.issues.append(
                Issue(
                    f"The priority is longer than {TITLE_MAX} characters: its start is the title and the whole text "
                    "is kept in the description."
                )
            )
        priority.is_workforce = "workforce" in normalise(source.text)
        self.priorities.append(priority)
        return priority

    def _indicators(self, priority, row, *, with_priority_cell):
        texts = []
        if with_priority_cell:
            texts += [p.text for p in self.cell(row, "priority").items]
        for role in ("needs", "offer"):
            cell = self.cell(row, role)
            if not cell.merged:
                texts += [p.text for p in cell.items]
        found, unknown = find_indicators(texts, self.known)
        column = self.cell(row, "indicators")
        if not column.merged:
            more, unknown_more = find_indicators([p.text for p in column.items], self.known, column=True)
            found += more
            unknown += unknown_more
        for number in found:
            if number not in priority.indicators:
                priority.indicators.append(number)
        for number in unknown:
            if number not in priority.unknown_indicators:
                priority.unknown_indicators.append(number)
                priority.issues.append(
                    Issue(f"NI {number} is not in the National Indicator Set the portal holds: it is not linked.")
                )

    def _needs(self, priority, row, need_above):
        cell = self.cell(row, "needs")
        if cell.merged or not cell.items:
            return need_above
        items = split_items(cell.items)
        known = {normalise(n.description) for n in priority.needs}
        if all(normalise(item) in known for item in items):
            return need_above  # the needs cell repeated on the priority's next row
        added = []
        for item in items:
            if normalise(item) in known:
                continue
            priority.needs.append(NeedRow(description=item, from_workforce_tool="workforce tool" in normalise(item)))
            known.add(normalise(item))
            added.append(len(priority.needs) - 1)
        return added[0] if len(added) == 1 else None

    def _values(self, row, role, count):
        """A column's text and raw value for each of a row's ``count`` offers, and whether the cell
        gave one per offer (else all of it goes with the first)."""
        cell = self.cell(row, role)
        if cell.merged or self.col.get(role) is None or cell.is_blank:
            return [""] * count, [None] * count, False
        texts = [p.text for p in cell.items]
        paired = count > 1 and len(texts) == count
        values = [cell.value] + [None] * (count - 1)
        return _pair(texts, count), values, paired

    def _offers(self, priority, row, provider_above, need_index):
        offer_cell = self.cell(row, "offer")
        provider_cell = self.cell(row, "provider")
        offers = [] if offer_cell.merged else split_items(offer_cell.items)
        provider_lines = [p.text for p in provider_cell.items] if not provider_cell.merged else []
        if not offers and provider_lines and not provider_cell.merged:
            offers = [""]  # a provider named with no offer text: still an offer to record
        if not offers:
            return " ".join(provider_lines) or provider_above
        count = len(offers)
        if count > 1 and len(provider_lines) == count:
            providers = provider_lines
        else:
            providers = [" ".join(provider_lines) or provider_above] * count
        resources, _, paired = self._values(row, "resources", count)
        days, _, days_paired = self._values(row, "days", count)
        funding, _, funding_paired = self._values(row, "funding", count)
        notes, _, _ = self._values(row, "notes", count)
        dates, date_values, _ = self._values(row, "deliver_by", count)
        statuses, _, _ = self._values(row, "status", count)
        shared = count > 1 and any(
            cells[0] and not pairs
            for cells, pairs in ((resources, paired), (days, days_paired), (funding, funding_paired))
        )
        for i, description in enumerate(offers):
            key = f"r{row.number}" if count == 1 else f"r{row.number}-{i + 1}"
            offer = self._offer(key, row.number, description, providers[i], need_index)
            status = normalise(statuses[i])
            if status in SKIPPED_STATUSES:
                self.skipped.append((row.number, providers[i], statuses[i]))
                priority.issues.append(
                    Issue(
                        f"Row {row.number}: the offer from {providers[i] or 'a provider'} is marked “{statuses[i]}” in "
                        "the document and is not imported.",
                        INFO,
                    )
                )
                continue
            if status not in ACCEPTED_STATUSES:
                offer.issues.append(
                    Issue(
                        f"The document gives this offer's status as “{statuses[i]}”: it is imported as accepted, as "
                        "every offer of an imported plan was agreed on paper."
                    )
                )
            self._resources(offer, resources[i], days[i], funding[i])
            self._deliver_by(offer, dates[i], date_values[i])
            notes_parts = [notes[i]] if notes[i] else []
            if i == 0:
                for column in self.extra:
                    value = self.cell_at(row, column.index)
                    if value:
                        notes_parts.append(f"{column.heading}: {value}")
            if offer.resources_text:
                notes_parts.append(f"Resources as written: {offer.resources_text}")
            offer.notes = "\n".join(notes_parts)
            if shared and i == 0:
                offer.issues.append(
                    Issue(
                        f"Row {row.number} has {count} offers but gives its resources once: they are recorded on this "
                        "first offer. Share them out after the import if needed.",
                        INFO,
                    )
                )
            priority.offers.append(offer)
        return providers[-1]

    def cell_at(self, row, index):
        cell = row.cell(index)
        return "" if cell.merged else " ".join(cell.text.split("\n"))

    def _offer(self, key, number, description, provider_text, need_index):
        match = self.matcher.match(provider_text)
        offer = OfferRow(
            key=key,
            source_row=number,
            provider_text=provider_text,
            match_status=match.status,
            provider=match.provider,
            candidates=match.candidates,
            description=description,
            need_index=need_index,
        )
        if not description:
            offer.issues.append(Issue("The row names a provider but no offer: the offer is imported with no text."))
        if match.status == EMPTY:
            offer.issues.append(Issue("No provider is named for this offer: choose the provider.", CHOICE))
        elif match.status == "ambiguous":
            names = " or ".join(c.name for c in match.candidates[:3])
            offer.issues.append(Issue(f"“{provider_text}” could be {names}: choose the provider.", CHOICE))
        elif match.status == "unmatched":
            offer.issues.append(
                Issue(f"No provider in the portal matches “{provider_text}”: choose the provider.", CHOICE)
            )
        elif match.status == "near":
            offer.issues.append(
                Issue(
                    f"“{provider_text}” was matched to {match.provider.name} by its spelling "
                    f"({round(match.provider.score * 100)}% alike): check it."
                )
            )
        elif match.status == "contained":
            offer.issues.append(Issue(f"“{provider_text}” was matched to {match.provider.name}: check it.", INFO))
        return offer

    def _resources(self, offer, text, days_text, funding_text):
        written = []
        for value, unit in ((text, None), (days_text, "days"), (funding_text, "funding")):
            if not value:
                continue
            parsed = parse_resources(value, unit=unit)
            if not parsed.understood:
                written.append(" ".join(value.split("\n")))
                continue
            if parsed.days is not None:
                offer.days = _number((offer.days_value or 0) + parsed.days)
            if parsed.funding is not None:
                offer.funding = str(((offer.funding_value or 0) + parsed.funding).quantize(Decimal("0.01")))
        if written:
            offer.resources_text = "; ".join(written)
            offer.issues.append(
                Issue(
                    f"The resources “{offer.resources_text}” could not be read as days and £: the text is kept in the "
                    "notes. Enter the days and £ after the import if you know them."
                )
            )
            offer.days = offer.funding = None

    def _deliver_by(self, offer, text, value):
        when = parse_date(value) if value is not None else None
        if when is None and text:
            when = parse_date(text) or deliver_by_in(text)
            if when is None:
                offer.issues.append(Issue(f"The deliver-by date “{text}” could not be read.", WARNING))
        if when is None:
            when = deliver_by_in(offer.description)
        if when is None:
            if offer.description:
                offer.issues.append(
                    Issue("The offer gives no deliver-by date (the guidance's form is “By May 2010, …”).", INFO)
                )
            return
        if when > self.end:
            offer.issues.append(
                Issue(
                    f"The deliver-by date {when:%-d %B %Y} is after the end of the plan's period ({self.end:%-d %B %Y}): "
                    "it is not recorded, and the offer's text keeps it."
                )
            )
            return
        offer.deliver_by = when.isoformat()


def build_preview(document, *, providers, indicators, period, authority_name=None):
    """The preview of ``document`` (a ``SourceDocument``) for a plan of ``period``.

    ``providers``: (id, name, abbreviation) of every provider; ``indicators``: number → title of the
    National Indicator Set; ``authority_name``: the authority the plan is for, checked against the
    document's header block. ``DocumentRefused`` when there is no Annex 2 table or it has no rows."""
    table = find_table(document)
    header = find_header(document, table)
    builder = _Builder(table, providers=providers, indicators=indicators, period=period)
    priorities = builder.build()
    if not priorities:
        raise DocumentRefused(
            f"The Annex 2 table ({table.location}) has its headings but no rows under them: there is nothing to import."
        )
    issues = []
    if authority_name and header.get("authority"):
        named, chosen = normalise(header["authority"]), normalise(authority_name)
        if named not in chosen and chosen not in named:
            issues.append(
                Issue(
                    f"The document's header names “{header['authority']}” as the local authority, but you are importing "
                    f"it as {authority_name}'s plan. Check you chose the right authority and document."
                )
            )
    for column in table.extra_columns:
        issues.append(
            Issue(
                f"The column “{column.heading}” is not part of the Annex 2 template: its text is kept in the notes of "
                "the first offer of each row.",
                INFO,
            )
        )
    if not any(p.offers for p in priorities):
        issues.append(Issue("The table has no offers: only the priorities and needs will be created.", INFO))
    return Preview(
        kind=document.kind,
        location=table.location,
        columns=[[c.heading, c.role or ""] for c in table.columns if c.heading],
        header=header,
        priorities=priorities,
        issues=issues,
    )
