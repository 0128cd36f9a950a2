"""What a wheel ships: every package of the source tree, and the icons."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_package_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "recruiter_desk").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py")) and "__pycache__" not in folder.parts
    } | {"recruiter_desk", "recruiter_desk.resources"}
    assert listed == on_disk


def test_icons_are_found(qapp: object) -> None:
    from recruiter_desk.ui.style import RESOURCES, icon

    assert (RESOURCES / "icons" / "recruiter-desk.svg").is_file()
    assert not icon("people").isNull()


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for source in (ROOT / "recruiter_desk").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    return modules


def _normal(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def test_every_dependency_is_imported_by_the_app() -> None:
    """A dependency nothing imports only makes installs slower and larger."""
    declared = {
        _normal(re.split(r"[<>=~!\[; ]", requirement, maxsplit=1)[0])
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
            "dependencies"
        ]
    }
    providers = packages_distributions()
    imported = {
        _normal(distribution)
        for module in _imported_top_level_modules()
        for distribution in providers.get(module, [])
    }
    assert declared - imported == set()


def test_the_bundle_spec_carries_the_postgresql_driver() -> None:
    # A team database (--db postgresql+psycopg://…) from the bundle: SQLAlchemy's dialect is
    # loaded by name and psycopg's libpq binding at run time (tests/test_bundle.py builds it
    # and its smoke test loads them).
    spec = (ROOT / "packaging" / "recruiter-desk.spec").read_text()
    tree = ast.parse(spec)
    hidden = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "hidden" for t in node.targets)
    )
    named = {n.value for n in ast.walk(hidden) if isinstance(n, ast.Constant)}
    assert {
        "sqlalchemy.dialects.postgresql",
        "sqlalchemy.dialects.postgresql.psycopg",
        "alembic.ddl.postgresql",
        "psycopg",
        "psycopg_binary",
        "psycopg_binary.pq",
    } <= named
    assert "hiddenimports=hidden" in spec.replace(" ", "")
