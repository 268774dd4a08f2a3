"""The shape of the code: rules a reviewer would otherwise have to remember.

- Roles are ``accounts.models.Role`` members everywhere, never their string values (outside
  migrations, which freeze history, and the settings, which read strings from the environment).
- The design record lives in the repository (docs/): nothing cites a numbered section of another.
"""

import ast
import re
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


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [s for element in node.elts for s in _strings(element)]
    return []


def _names_role(node):
    return (isinstance(node, ast.Attribute) and node.attr == "role") or (
        isinstance(node, ast.Name) and node.id == "role"
    )


def _gives_a_role(node):
    """The part of a node that compares with, or is given as, a role (None for other nodes)."""
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        return ast.Tuple(elts=sides) if any(_names_role(side) for side in sides) else None
    if isinstance(node, ast.keyword) and node.arg in ("role", "role__in"):
        return node.value
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("ROLES") for t in node.targets):
        return node.value
    return None


def _role_literals(tree):
    """Lines where a role's string value is compared with, or given as, a role."""
    for node in ast.walk(tree):
        value = _gives_a_role(node)
        if value is not None and any(s in ROLE_VALUES for s in _strings(value)):
            yield node.value.lineno if isinstance(node, ast.keyword) else node.lineno


def test_the_role_check_finds_a_string_comparison():
    tree = ast.parse('if user.role == "csa" or role in ("dcs",):\n    User(role="admin")\nX_ROLES = ("national",)')
    assert sorted(set(_role_literals(tree))) == [1, 2, 3]


def test_roles_are_the_enum_not_strings():
    offenders = []
    for path in _python_files():
        lines = sorted(set(_role_literals(ast.parse(path.read_text(), filename=str(path)))))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert not offenders, "use accounts.models.Role instead of a role's string value at " + ", ".join(offenders)


SKIPPED_FOLDERS = {".git", ".venv", "var", "static", "node_modules", "__pycache__"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".sh", ".yml", ".yaml", ".cfg"}


def _text_files():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file() and not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts):
            yield path


def test_no_reference_to_a_design_document_outside_the_repository():
    """The design record is docs/architecture.md and docs/decisions/: code and docs point there by
    section name, never at a numbered section of a document the repository does not hold."""
    pattern = re.compile(r"DESIGN(\.md)?,? ?§")
    offenders = []
    for path in _text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, "point at docs/architecture.md instead: " + ", ".join(offenders)


def test_the_design_record_is_in_the_repository():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for section in ("## Apps", "## Import rules", "## Permissions", "## Workflows", "## Deadline arithmetic"):
        assert section in architecture
    assert len(list((ROOT / "docs" / "decisions").glob("0*.md"))) >= 6
