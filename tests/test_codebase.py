"""The shape of the code: rules a reviewer would otherwise have to remember.

- Roles are ``accounts.models.Role`` members everywhere, never their string values (outside
  migrations, which freeze history, and the settings, which read strings from the environment).
"""

import ast
from pathlib import Path

from accounts.models import Role

ROOT = Path(__file__).resolve().parents[1]
APP_PACKAGES = (
    "core",
    "accounts",
    "authorities",
    "providers",
    "plans",
    "meetings",
    "improvement",
    "demo",
    "bench",
    "jisp_portal",
)
ROLE_VALUES = {role.value for role in Role}


def _python_files():
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.name == "settings.py":
                continue
            yield path


def _role_literals(tree):
    """Lines where a role's string value is compared with, or given as, a role."""

    def strings(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return [s for element in node.elts for s in strings(element)]
        return []

    def names_role(node):
        return (isinstance(node, ast.Attribute) and node.attr == "role") or (
            isinstance(node, ast.Name) and node.id == "role"
        )

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(names_role(side) for side in [node.left, *node.comparators]):
            if any(s in ROLE_VALUES for side in [node.left, *node.comparators] for s in strings(side)):
                yield node.lineno
        elif isinstance(node, ast.keyword) and node.arg in ("role", "role__in"):
            if any(s in ROLE_VALUES for s in strings(node.value)):
                yield node.value.lineno
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.endswith("ROLES") for t in node.targets
        ):
            if any(s in ROLE_VALUES for s in strings(node.value)):
                yield node.lineno


def test_the_role_check_finds_a_string_comparison():
    tree = ast.parse('if user.role == "csa" or role in ("dcs",):\n    User(role="admin")\nX_ROLES = ("national",)')
    assert sorted(set(_role_literals(tree))) == [1, 2, 3]


def test_roles_are_the_enum_not_strings():
    offenders = []
    for path in _python_files():
        lines = sorted(set(_role_literals(ast.parse(path.read_text(), filename=str(path)))))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert not offenders, "use accounts.models.Role instead of a role's string value at " + ", ".join(offenders)
