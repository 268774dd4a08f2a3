import pytest

from improvement.framework import ensure_default_framework


@pytest.fixture(autouse=True)
def _default_framework(db):
    """The default framework comes from a data migration: put it back if a test that flushes the
    database (a browser test) ran before."""
    ensure_default_framework()
