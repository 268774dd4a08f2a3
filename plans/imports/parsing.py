"""Reading the free text of an Annex 2 row: National Indicators, resources, deliver-by dates.

- National Indicators: "NI 112", "NI112", "NIs 110 and 117", "NI 110, 111 & 117" anywhere; in an
  indicator column (or at the start of a paragraph) a number followed by the indicator's title, as
  in the guidance's table ("112 Under 18 conception rate"). Explicit numbers that are not in the
  National Indicator Set are reported.
- Resources: "3 days", "½ day", "2 days + £4,500", "£1.2k", "£2m", "1,500 pounds" into days and £;
  whatever else the text says ("3 days per term", "TBC") means it is not fully understood, and the
  original text is kept for the notes.
- Deliver-by: "By May 2010, …" (the guidance's concise form) is the end of that month;
  "By 15 May 2010" that day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

# --- National Indicators --------------------------------------------------------------------------

_NOT_COUNT = r"(?!\d|\s*(?:days?\b|%|per\b|hours?\b))"
NI_RE = re.compile(
    rf"\bNIs?\b\.?\s*(?:no\.?|number|numbers)?\s*:?\s*(\d{{1,3}}{_NOT_COUNT}"
    rf"(?:\s*(?:,|&|/|\band\b|\bor\b|\+)\s*(?:NI\s*)?\d{{1,3}}{_NOT_COUNT})*)",
    re.I,
)
NOT_AN_INDICATOR_RE = re.compile(r"^\s*(?:days?\b|%|per\b|hours?\b)", re.I)
NI_GLUED_RE = re.compile(r"\bNIs?(\d{1,3})\b", re.I)
LEADING_NUMBER_RE = re.compile(r"^\s*(?:NIs?\s*)?(\d{1,3})\b\s*[:.\-–—]?\s*(.*)$", re.I | re.S)
NUMBERS_ONLY_RE = re.compile(r"^\s*(?:NIs?\s*)?\d{1,3}(?:\s*(?:,|&|/|and|or|\+|\s)\s*(?:NI\s*)?\d{1,3})*\s*$", re.I)


def _norm(text):
    return " ".join(re.sub(r"[^0-9a-z]+", " ", (text or "").casefold()).split())


def _title_follows(rest, title):
    """Whether ``rest`` (what follows a number) begins with the indicator's title, near enough."""
    rest, title = _norm(rest), _norm(title)
    if not rest or not title:
        return False
    if rest.startswith(title) or title.startswith(rest) and len(rest) >= 12:
        return True
    head = rest[: len(title)]
    return SequenceMatcher(None, head, title).ratio() >= 0.8


def find_indicators(texts, known, *, column=False):
    """National Indicator numbers in ``texts`` (paragraphs), in order of mention: (found, unknown).
    ``known`` maps number → title. ``column``: the texts are an indicator column, where plain
    numbers are indicators."""
    found, unknown = [], []

    def add(number, explicit):
        if number in known:
            if number not in found:
                found.append(number)
        elif explicit and number not in unknown:
            unknown.append(number)

    for text in texts:
        for match in NI_RE.finditer(text):
            for number in re.findall(r"\d{1,3}", match.group(1)):
                add(int(number), True)
        for match in NI_GLUED_RE.finditer(text):
            add(int(match.group(1)), True)
        if column and NUMBERS_ONLY_RE.match(text):
            for number in re.findall(r"\d{1,3}", text):
                add(int(number), True)
            continue
        leading = LEADING_NUMBER_RE.match(text)
        if leading:
            number, rest = int(leading.group(1)), leading.group(2)
            if column:
                if not NOT_AN_INDICATOR_RE.match(rest):
                    add(number, True)
            elif number in known and _title_follows(rest, known[number]):
                add(number, True)
    return found, unknown


# --- resources ------------------------------------------------------------------------------------

WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_NUMBER = r"(?:\d+(?:\.\d+)?\s*½?|½|half\s+a|a\s+half|" + "|".join(WORD_NUMBERS) + r")"
DAYS_RE = re.compile(
    rf"(?<![\w.])(?P<n>{_NUMBER})\s*-?\s*(?:working\s+|consultancy\s+|adviser\s+|advisor\s+)?(?:days?|d)\b", re.I
)
POUNDS_RE = re.compile(
    r"(?:£|\bGBP\s*)\s*(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<mult>k|m|bn|thousand|million)?(?![a-z0-9])",
    re.I,
)
POUNDS_WORD_RE = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:pounds|GBP)\b", re.I)
FILLER_RE = re.compile(
    r"\b(?:support|of|and|plus|in|total|up|to|approx|approximately|about|around|circa|c|funding|grant|"
    r"time|consultancy|adviser|advisor|with|resources?)\b|[\s+,&/;:.()\[\]\-–—~]",
    re.I,
)
NOTHING = {"", "-", "–", "—", "n/a", "na", "nil", "none", "0", "no cost", "nothing"}
MULTIPLIERS = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000}
MAX_DAYS = Decimal("99999.5")
MAX_FUNDING = Decimal("9999999999.99")


@dataclass
class Resources:
    days: Decimal | None = None
    funding: Decimal | None = None
    understood: bool = True  # False: part of the text was not days or £ (keep it in the notes)


def _number(text):
    text = text.strip().casefold()
    if text in WORD_NUMBERS:
        return Decimal(WORD_NUMBERS[text])
    if re.fullmatch(r"half\s+a|a\s+half", text):
        return Decimal("0.5")
    half = text.endswith("½")
    text = text.rstrip("½").strip()
    value = Decimal(text) if text else Decimal(0)
    return value + (Decimal("0.5") if half else 0)


def _pounds(match):
    value = Decimal(match.group("n").replace(",", ""))
    mult = (match.groupdict().get("mult") or "").casefold()
    return value * MULTIPLIERS.get(mult, 1)


def parse_resources(text, *, unit=None):
    """Days and £ in a resources cell. ``unit`` (``"days"`` or ``"funding"``) is what a plain number
    means (a column of days, or of £)."""
    text = " ".join((text or "").split())
    if text.casefold() in NOTHING:
        return Resources()
    if unit and re.fullmatch(r"£?\s*\d{1,3}(?:,\d{3})+(?:\.\d+)?|£?\s*\d+(?:\.\d+)?", text):
        value = Decimal(text.replace("£", "").replace(",", "").strip())
        return _checked(Resources(days=value) if unit == "days" else Resources(funding=value))
    days = funding = None
    rest = text
    try:
        for pattern, kind in ((POUNDS_RE, "funding"), (POUNDS_WORD_RE, "funding"), (DAYS_RE, "days")):
            for match in pattern.finditer(rest):
                if kind == "funding":
                    funding = (funding or 0) + _pounds(match)
                else:
                    days = (days or 0) + _number(match.group("n"))
            rest = pattern.sub(" ", rest)
    except (InvalidOperation, ValueError):
        return Resources(understood=False)
    leftover = FILLER_RE.sub("", rest)
    return _checked(Resources(days=days, funding=funding, understood=not leftover))


def _checked(resources):
    """Days in whole or half days and amounts the plan can hold. Anything not understood gives no
    days and no £ at all (a part read alone, like the 3 of "3 days per term", would mislead)."""
    if not resources.understood:
        return Resources(understood=False)
    if resources.days is not None and (
        resources.days < 0 or resources.days > MAX_DAYS or (resources.days * 2) % 1 != 0
    ):
        return Resources(understood=False)
    if resources.funding is not None:
        funding = Decimal(resources.funding).quantize(Decimal("0.01"))
        if funding < 0 or funding > MAX_FUNDING:
            return Resources(understood=False)
        resources.funding = funding
    return resources


# --- deliver-by dates -----------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
BY_RE = re.compile(
    rf"^\s*(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?{_MONTH}\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
DATE_RE = re.compile(
    rf"^\s*(?:(?:by|before)\s+)?(?:the\s+)?(?:end\s+of\s+)?(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?{_MONTH}\.?,?\s+(?P<year>(?:19|20)\d\d)\s*$",
    re.I,
)
NUMERIC_DATE_RE = re.compile(
    r"^\s*(?:by\s+)?(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>(?:19|20)\d\d)\s*$", re.I
)
ISO_DATE_RE = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)-(?P<month>\d{2})-(?P<day>\d{2})\s*$")


def _date(year, month, day=None):
    year, month = int(year), int(month)
    last = calendar.monthrange(year, month)[1]
    try:
        return date(year, month, int(day) if day else last)
    except ValueError:
        return None


def _month_date(match):
    month = MONTHS[match.group("month")[:3].casefold()]
    return _date(match.group("year"), month, match.group("day"))


def deliver_by_in(text):
    """The deliver-by date an offer's text starts with ("By May 2010, …" → 31 May 2010), or None."""
    match = BY_RE.match(text or "")
    return _month_date(match) if match else None


def parse_date(value):
    """A deliver-by column's value: a date, "May 2010", "By May 2010", "15/05/2010", "2010-05-15"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "")
    match = DATE_RE.match(text)
    if match:
        return _month_date(match)
    for pattern in (NUMERIC_DATE_RE, ISO_DATE_RE):
        match = pattern.match(text)
        if match:
            try:
                return _date(match.group("year"), match.group("month"), match.group("day"))
            except (ValueError, calendar.IllegalMonthError):
                return None
    return None


# --- splitting a cell into its items ----------------------------------------------------------------

STARTS_OFFER_RE = re.compile(rf"^\s*(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+)?(?:\d{{1,2}}\w*\s+)?{_MONTH}\b", re.I)


def split_items(paragraphs):
    """A cell's separate items (needs or offers): each bulleted or numbered paragraph, each paragraph
    that starts a new sentence; a paragraph that starts in lower case continues the one before."""
    items = []
    for paragraph in paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        continues = items and not paragraph.bullet and text[0].islower() and not STARTS_OFFER_RE.match(text)
        if continues:
            items[-1] = f"{items[-1]}\n{text}"
        else:
            items.append(text)
    return items
