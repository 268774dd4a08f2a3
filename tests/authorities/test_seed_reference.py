import functools
import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from authorities import reference
from authorities.models import LocalAuthority, NationalIndicator, Region
from providers import reference as provider_reference
from providers.management.commands import seed_reference
from providers.models import Provider

pytestmark = pytest.mark.django_db


def counts():
    return (
        Region.objects.count(),
        LocalAuthority.objects.count(),
        NationalIndicator.objects.count(),
        Provider.objects.count(),
    )


def test_seed_reference_loads_everything_and_is_idempotent():
    call_command("seed_reference", stdout=io.StringIO())
    assert counts() == (9, 152, 76, 30)
    assert Region.objects.get(slug="north-east").government_office == "Government Office for the North East"
    assert LocalAuthority.objects.get(name="Newcastle upon Tyne").region.name == "North East"
    assert NationalIndicator.objects.get(number=112).title == "Under 18 conception rate"
    assert Provider.objects.get(abbreviation="NS").kind == Provider.Kind.NATIONAL_STRATEGIES
    # A second run updates in place: same rows, same keys, edits to loaded columns restored.
    keys = set(LocalAuthority.objects.values_list("pk", "gss_code"))
    NationalIndicator.objects.filter(number=112).update(title="Changed by hand")
    call_command("seed_reference", stdout=io.StringIO())
    assert counts() == (9, 152, 76, 30)
    assert set(LocalAuthority.objects.values_list("pk", "gss_code")) == keys
    assert NationalIndicator.objects.get(number=112).title == "Under 18 conception rate"


def _copy_with_bad_row(tmp_path, source, bad_row):
    target = tmp_path / source.name
    shutil.copy(source, target)
    with target.open("a", encoding="utf-8") as handle:
        handle.write(bad_row + "\n")
    lines = target.read_text(encoding="utf-8").splitlines()
    return target, len(lines)


def test_malformed_row_stops_seed_reference_and_loads_nothing(tmp_path, monkeypatch):
    path, line = _copy_with_bad_row(
        tmp_path, reference.DATA_DIR / "national_indicators.csv", "999,A made-up indicator,Be happy"
    )
    monkeypatch.setattr(
        seed_reference, "load_national_indicators", functools.partial(reference.load_national_indicators, path)
    )
    with pytest.raises(CommandError) as error:
        call_command("seed_reference", stdout=io.StringIO())
    message = str(error.value)
    assert "Nothing was loaded" in message
    assert "national_indicators.csv" in message
    assert f"line {line}" in message
    assert "unknown Every Child Matters outcome 'Be happy'" in message
    assert counts() == (0, 0, 0, 0)  # regions and authorities were loaded before the bad file: rolled back


@pytest.mark.parametrize(
    ("loader", "source", "bad_row", "reason"),
    [
        (
            reference.load_regions,
            reference.DATA_DIR / "regions.csv",
            "atlantis,,Government Office for Atlantis,GOA",
            "'name' is empty",
        ),
        (
            reference.load_local_authorities,
            reference.DATA_DIR / "local_authorities.csv",
            "E06999999,Atlantis,Atlantis,unitary",
            "unknown region 'Atlantis'",
        ),
        (
            reference.load_local_authorities,
            reference.DATA_DIR / "local_authorities.csv",
            "W06000001,Anglesey,North West,unitary",
            "is not an English GSS code",
        ),
        (
            reference.load_national_indicators,
            reference.DATA_DIR / "national_indicators.csv",
            "one hundred,Not a number,Be healthy",
            "is not a whole number",
        ),
        (
            provider_reference.load_providers,
            provider_reference.DATA_DIR / "providers.csv",
            "XX,Extra Provider,wizardry",
            "unknown provider kind 'wizardry'",
        ),
    ],
)
def test_each_loader_names_file_line_and_reason_and_writes_nothing(tmp_path, loader, source, bad_row, reason):
    if loader is not reference.load_regions:
        reference.load_regions()
    before = counts()
    path, line = _copy_with_bad_row(tmp_path, source, bad_row)
    with pytest.raises(reference.ReferenceDataError) as error:
        loader(path)
    assert error.value.line == line
    assert reason in error.value.reason
    assert source.name in str(error.value)
    assert counts() == before
