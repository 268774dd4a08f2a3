"""Loading reference data from the CSV files kept in ``authorities/data/``.

Each loader validates every row first and writes nothing if any row is malformed, raising
``ReferenceDataError`` with the file, line and reason. Loading again updates rows in place.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from .models import LocalAuthority, NationalIndicator, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceDataError(Exception):
    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}, line {line}: {reason}")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated"


def read_rows(path, required):
    """Yield (line number, row dict) with every required column present and non-empty."""
    path = Path(path)
    display = _display(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(display, 1, f"missing column(s): {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row:
                raise ReferenceDataError(display, line, "more values than columns")
            row = {k: (v or "").strip() for k, v in row.items()}
            for column in required:
                if not row.get(column):
                    raise ReferenceDataError(display, line, f"'{column}' is empty")
            yield line, row


def _display(path):
    try:
        return str(path.relative_to(DATA_DIR.parent.parent))
    except ValueError:
        return str(path)


def _upsert(model, lookup, values, result):
    _, created = model.objects.update_or_create(defaults=values, **lookup)
    if created:
        result.created += 1
    else:
        result.updated += 1


def load_regions(path=DATA_DIR / "regions.csv"):
    rows = list(read_rows(path, ["slug", "name", "government_office"]))
    result = LoadResult()
    for _, row in rows:
        _upsert(
            Region,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "government_office": row["government_office"],
                "abbreviation": row.get("abbreviation", ""),
            },
            result,
        )
    return result


LA_TYPES = {label.lower(): value for value, label in LocalAuthority.LAType.choices}


def load_local_authorities(path=DATA_DIR / "local_authorities.csv"):
    regions = {r.name: r for r in Region.objects.all()}
    parsed = []
    for line, row in read_rows(path, ["gss_code", "name", "region", "la_type"]):
        region = regions.get(row["region"])
        if region is None:
            raise ReferenceDataError(_display(Path(path)), line, f"unknown region '{row['region']}'")
        la_type = LA_TYPES.get(row["la_type"].lower())
        if la_type is None:
            raise ReferenceDataError(_display(Path(path)), line, f"unknown authority type '{row['la_type']}'")
        if len(row["gss_code"]) != 9 or not row["gss_code"].startswith("E"):
            raise ReferenceDataError(_display(Path(path)), line, f"'{row['gss_code']}' is not an English GSS code")
        parsed.append((row, region, la_type))
    result = LoadResult()
    for row, region, la_type in parsed:
        _upsert(
            LocalAuthority,
            {"gss_code": row["gss_code"]},
            {"name": row["name"], "region": region, "la_type": la_type},
            result,
        )
    return result


OUTCOMES = {value for value, _ in NationalIndicator.Outcome.choices}


def load_national_indicators(path=DATA_DIR / "national_indicators.csv"):
    parsed = []
    for line, row in read_rows(path, ["number", "title", "ecm_outcome"]):
        if not row["number"].isdigit():
            raise ReferenceDataError(
                _display(Path(path)), line, f"indicator number '{row['number']}' is not a whole number"
            )
        if row["ecm_outcome"] not in OUTCOMES:
            raise ReferenceDataError(
                _display(Path(path)), line, f"unknown Every Child Matters outcome '{row['ecm_outcome']}'"
            )
        parsed.append(row)
    result = LoadResult()
    for row in parsed:
        _upsert(
            NationalIndicator,
            {"number": int(row["number"])},
            {"title": row["title"], "ecm_outcome": row["ecm_outcome"]},
            result,
        )
    return result
