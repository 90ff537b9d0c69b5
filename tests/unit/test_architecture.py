"""Dependencies point one way: the domain packages never import an adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ADAPTERS = {"telegram", "bot", "fastapi", "starlette", "uvicorn", "typer", "rich"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", ["knowledge", "intake"])
def test_domain_packages_import_no_adapter(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(_imported_roots(path) & ADAPTERS)
        for path in (REPO / package).rglob("*.py")
        if _imported_roots(path) & ADAPTERS
    }
    assert offenders == {}


def test_the_check_would_catch_an_adapter_import(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text("from telegram import Update\nimport bot.cli\n")
    assert _imported_roots(module) & ADAPTERS == {"telegram", "bot"}
