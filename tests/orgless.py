"""Accounts without the organisation their role needs, signed in: the "organisation-less" roles of
the permission matrix and the scope tests.

The database forbids an active account without its organisation (a check constraint per field,
``accounts.models.organisation_constraints``), and the scope queries must refuse one all the same.
To sign one in, the test switches the check constraints off for its own transaction only: SQLite's
``ignore_check_constraints`` pragma on the test's connection; on PostgreSQL the constraints are
dropped inside the test's transaction, which rolls the drop back with everything else."""

from django.db import connection

from accounts.models import Role, User
from tests.accounts.factories import UserFactory

#: role name in the matrix → (role, the organisation missing).
ORGLESS = {
    "csa_orgless": (Role.CSA, "region"),
    "go_director_orgless": (Role.GO_DIRECTOR, "region"),
    "dcs_orgless": (Role.DCS, "authority"),
    "la_officer_orgless": (Role.LA_OFFICER, "authority"),
    "provider_orgless": (Role.PROVIDER_ADVISER, "provider"),
}
CONSTRAINTS = ("user_role_needs_region", "user_role_needs_authority", "user_role_needs_provider")


def allow_orgless_accounts():
    """Switch the organisation constraints off until the end of the test (its transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            # The deferred foreign-key checks of the rows written so far must run before the table
            # can be altered; then deferred again, as Django has them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in CONSTRAINTS:
                cursor.execute(f'ALTER TABLE accounts_user DROP CONSTRAINT IF EXISTS "{name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore_constraints():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    # PostgreSQL: the test's transaction is rolled back, and the drop with it.


def orgless_user(name: str) -> User:
    """An active, signed-in-able account of the role ``name`` stands for, without its organisation.
    Call ``allow_orgless_accounts`` first."""
    role, _ = ORGLESS[name]
    user = UserFactory(email=f"{name.replace('_', '.')}@example.gov.uk", role=role, is_active=False)
    User.objects.filter(pk=user.pk).update(is_active=True, region=None, authority=None, provider=None)
    user.refresh_from_db()
    return user
