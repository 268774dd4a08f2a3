"""Search: the results page for every role, and what each finds (``tests/search/cast.py``)."""

from django.urls import reverse

from search.models import SearchEntry
from tests.matrix import Case, everyone
from tests.search.cast import FINDS, build


def _finds(word):
    kind, _what, finders = FINDS[word]
    label = SearchEntry.Kind(kind).label

    def then(w, o, role, response):
        if response.status_code == 200:
            page = response.content.decode()
            found = f"{label} (1)" in page
            assert found == (role in finders), f"{role} {'found' if found else 'did not find'} {word}"

    return then


def _case(word, description):
    return Case(
        f"search results ({description})",
        "search:results",
        lambda w, o: reverse("search:results"),
        everyone(200),
        data=lambda w, o: {"q": word},
        setup=build,
        then=_finds(word),
    )


CASES = [
    Case("search page (no query)", "search:results", lambda w, o: reverse("search:results"), everyone(200)),
    _case("quokka", "a draft plan"),
    _case("pangolin", "another provider's invited offer"),
    _case("axolotl", "a challenged offer's revision"),
    _case("platypus", "a draft note not yet circulated"),
    _case("kestrel", "a final note sent"),
    Case(
        "search results (a POST)",
        "search:results",
        lambda w, o: reverse("search:results"),
        everyone(405),
        method="post",
        data=lambda w, o: {"q": "gateshead"},
    ),
]
