"""The Jinja2 engine of the Annex 2 rows prints what the Django template language prints
(docs/decisions/0010): the same escaping, the same filters, nothing for a missing value."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.utils.safestring import mark_safe

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def both(django_source, jinja_source, **context):
    django_out = engines["django"].from_string(django_source).render(context)
    jinja_out = engines["jinja2"].from_string(jinja_source).render(context)
    return django_out, jinja_out


@pytest.mark.parametrize("value", [HOSTILE, 42, None, Decimal("1.50"), "Children's services"])
def test_a_value_is_escaped_as_django_escapes_it(value):
    django_out, jinja_out = both("<p>{{ v }}</p>", "<p>{{ v }}</p>", v=value)
    assert jinja_out == django_out
    if value == HOSTILE:
        assert "<script>" not in jinja_out
        assert "&#x27;" in jinja_out
        assert "&quot;" in jinja_out


def test_a_safe_value_is_printed_as_it_is():
    django_out, jinja_out = both("{{ v }}", "{{ v }}", v=mark_safe("<strong>kept</strong>"))  # noqa: S308
    assert jinja_out == django_out == "<strong>kept</strong>"


def test_a_missing_attribute_prints_nothing():
    django_out, jinja_out = both("[{{ v.nothing }}]", "[{{ v.nothing }}]", v=object())
    assert jinja_out == django_out == "[]"


@pytest.mark.parametrize(
    ("django_filter", "jinja_filter", "value"),
    [
        ("linebreaksbr", "linebreaksbr", "line one\nline <two>"),
        ('floatformat:"-1"', 'floatformat("-1")', Decimal("2.50")),
        ('floatformat:"-1"', 'floatformat("-1")', Decimal("3.00")),
        ('floatformat:"2g"', 'floatformat("2g")', Decimal("12345.5")),
        ("pluralize", "pluralize", Decimal("1")),
        ("pluralize", "pluralize", Decimal("2.5")),
        ("truncatechars:10", "truncatechars(10)", "A need described at some length"),
        ('date:"j F Y"', 'date("j F Y")', date(2010, 3, 31)),
        ('date:"j M"', 'date("j M")', date(2009, 12, 1)),
        # 23:30 UTC on 31 March 2010 is 00:30 on 1 April in London (summer time)
        ('date:"j M Y"', 'date("j M Y")', datetime(2010, 3, 31, 23, 30, tzinfo=UTC)),
    ],
)
def test_the_filters_give_djangos_output(django_filter, jinja_filter, value):
    django_out, jinja_out = both(f"{{{{ v|{django_filter} }}}}", f"{{{{ v|{jinja_filter} }}}}", v=value)
    assert jinja_out == django_out


def test_a_london_date_is_shown_for_an_aware_datetime():
    _, jinja_out = both("", '{{ v|date("j M Y") }}', v=datetime(2010, 3, 31, 23, 30, tzinfo=UTC))
    assert jinja_out == "1 Apr 2010"
