"""Loading the parties to the protocol (and the guidance's named providers) from ``providers/data/``."""

from pathlib import Path

from authorities.models import Region
from authorities.reference import LoadResult, ReferenceDataError, _display, read_rows

from .models import Provider

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = {value for value, _ in Provider.Kind.choices}


def load_providers(path=DATA_DIR / "providers.csv"):
    parsed = []
    for line, row in read_rows(path, ["abbreviation", "name", "kind"]):
        if row["kind"] not in KINDS:
            raise ReferenceDataError(_display(Path(path)), line, f"unknown provider kind '{row['kind']}'")
        party = row.get("party_to_protocol", "").lower()
        if party not in ("yes", "no", ""):
            raise ReferenceDataError(_display(Path(path)), line, f"party_to_protocol must be yes or no, not '{party}'")
        parsed.append(row)
    all_regions = list(Region.objects.all())
    result = LoadResult()
    for row in parsed:
        provider, created = Provider.objects.update_or_create(
            abbreviation=row["abbreviation"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "remit": row.get("remit", ""),
                "party_to_protocol": row.get("party_to_protocol", "").lower() == "yes",
            },
        )
        if created:
            # The protocol's parties work nationally; an admin narrows a provider's regions later.
            provider.regions.set(all_regions)
            result.created += 1
        else:
            result.updated += 1
    return result
