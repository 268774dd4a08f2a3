"""The Annex 2 page's cheap row links are exactly what ``reverse`` gives, script prefix included."""

import pytest
from django.urls import reverse, set_script_prefix

from plans.urls_cache import pk_reverse


@pytest.mark.parametrize("name", ["plans:detail", "plans:priority_edit", "plans:need_remove", "plans:offer_accept"])
@pytest.mark.parametrize("pk", [1, 42, 1234567])
def test_pk_reverse_is_reverse(name, pk):
    assert pk_reverse(name, pk) == reverse(name, kwargs={"pk": pk})


def test_pk_reverse_follows_the_script_prefix():
    try:
        set_script_prefix("/jisp/")
        assert pk_reverse("plans:detail", 7) == reverse("plans:detail", kwargs={"pk": 7}) == "/jisp/plans/7/"
    finally:
        set_script_prefix("/")
