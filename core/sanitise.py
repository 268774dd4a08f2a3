"""Making user text safe where autoescaping does not reach: email headers and spreadsheet cells."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str, limit: int | None = None) -> str:
    """Text as a single header line: every run of whitespace (newlines included) and every control
    character becomes one space. An email subject with a newline would be refused (BadHeaderError)."""
    cleaned = "".join(" " if (ord(ch) < 32 or ord(ch) == 127) else ch for ch in str(text))
    cleaned = " ".join(cleaned.split())
    return cleaned[:limit] if limit else cleaned


def spreadsheet_cell(value: object) -> object:
    """A value for a CSV cell: text a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value
