"""A search finds only what the user may open, in the state they may see it (per kind, per state, per
role): the cast of the permission matrix against ``tests/search/cast.py``."""

import pytest

from search.queries import search, terms_of
from tests.conftest import ROLES
from tests.search.cast import FINDS, build

SIGNED_IN_ROLES = [r for r in ROLES if r != "anonymous"]


@pytest.fixture
def cast(world):
    return build(world)


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_each_role_finds_exactly_what_it_may_see(cast, world, role):
    user = world.users[role]
    wrong = []
    for word, (kind, what, finders) in FINDS.items():
        found = search(user, word, kinds=[kind]).entries.exists()
        if found != (role in finders):
            wrong.append(f"{word} ({what}): {'found' if found else 'not found'}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_anonymous_and_switched_off_users_find_nothing(cast, world):
    from django.contrib.auth.models import AnonymousUser

    assert not search(AnonymousUser(), "gateshead").entries.exists()
    world.dcs.is_active = False
    assert not search(world.dcs, "gateshead").entries.exists()


def test_another_providers_offer_is_never_found_even_by_its_provider_name(cast, world):
    # National Strategies' invited offer to Newcastle: TfC's adviser finds the provider, not the offer.
    found = search(world.provider, "national strategies")
    assert found.counts["offer"] == 0
    assert found.counts["provider"] == 1


def test_the_authority_finds_a_challenged_offer_only_as_it_was_submitted(cast, world):
    found = list(search(world.dcs, "narwhal").entries)
    assert [(e.kind, e.audience, e.object_id) for e in found] == [("offer", "submitted", cast["challenged"].pk)]
    assert "Axolotl" not in found[0].body
    # The lead CSA finds it by what it says now.
    assert [e.audience for e in search(world.csa, "axolotl").entries] == ["current"]


def test_counts_per_kind(cast, world):
    found = search(world.csa, "newcastle")
    assert found.counts["plan"] == 1  # "Newcastle upon Tyne JISP 2010-11"
    assert found.counts["authority"] == 1
    assert found.counts["offer"] == 0
    assert found.total == sum(found.counts.values())


def test_filters_by_kind_authority_period_and_status(cast, world):
    csa_other = world.csa_other
    assert {e.kind for e in search(csa_other, "fostering").entries} == {"plan", "offer"}
    assert {e.kind for e in search(csa_other, "fostering", kinds=["offer"]).entries} == {"offer"}
    assert (
        search(world.admin, "quokka", authority=world.newcastle).entries.count() == 3
    )  # the plan and the two offers on its priority
    assert not search(world.admin, "quokka", authority=world.leeds).entries.exists()
    assert search(world.admin, "quokka", period="2010-11").entries.exists()
    assert not search(world.admin, "quokka", period="2009-10").entries.exists()
    assert {e.kind for e in search(world.admin, "quokka", status="invited").entries} == {"offer"}
    assert {e.kind for e in search(world.admin, "quokka", status="draft").entries} == {"plan"}


def test_an_empty_query_finds_nothing(cast, world):
    found = search(world.admin, "   ")
    assert not found.entries.exists()
    assert found.total == 0


@pytest.mark.parametrize(
    ("query", "wanted", "unwanted"),
    [
        ("Safeguarding  thresholds", ["safeguarding", "thresholds"], []),
        ('"multi-agency audit" -tapir', ["multi-agency audit"], ["tapir"]),
        ("quokka or wombat", ["quokka", "wombat"], []),
        ('-"not this" "unclosed phrase', ["unclosed phrase"], ["not this"]),
        ("- -", [], []),
    ],
)
def test_the_sqlite_fallback_reads_words_phrases_and_exclusions(query, wanted, unwanted):
    assert terms_of(query) == (wanted, unwanted)


def test_phrases_and_exclusions_narrow_what_is_found(cast, world):
    assert search(world.csa, '"multi-agency audit"').entries.exists()
    assert not search(world.csa, '"audit multi-agency"').entries.exists()
    assert search(world.csa, "quokka", kinds=["plan"]).entries.exists()
    assert not search(world.csa, "quokka -tapir", kinds=["plan"]).entries.exists()
