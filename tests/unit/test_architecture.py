"""Dependencies point one way: adapters -> core -> intake, knowledge -> datafiles; the emulator stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = {"bot", "botapi", "core", "intake", "knowledge", "datafiles"}
WEB_AND_TERMINAL = {"telegram", "fastapi", "starlette", "uvicorn", "typer", "rich", "jinja2"}
# What each package may import of the project and of the adapter libraries.
ALLOWED = {
    "datafiles": set(),
    "intake": {"datafiles"},
    "knowledge": {"datafiles"},
    "core": {"intake", "knowledge", "datafiles"},
    "botapi": {"telegram", "starlette", "uvicorn"},
    "bot": {"core", "botapi", "intake", "knowledge", "datafiles"} | WEB_AND_TERMINAL,
}
# The one adapter that composes the emulator with the bot.
EMULATOR_USERS = {"bot/sandbox", "bot/cli_sandbox.py"}
# Reading the clock or the environment: only adapters and the core's clock and settings do.
CLOCK_AND_ENVIRONMENT = {("datetime", "now"), ("date", "today"), ("datetime", "utcnow"), ("time", "time"),
                         ("os", "environ"), ("os", "getenv")}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _reads_clock_or_environment(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {f"{node.value.id}.{node.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in CLOCK_AND_ENVIRONMENT}


FOLDERS = {"botapi": REPO / "emulator" / "botapi"}  # the emulator is a distribution of its own


def _modules(package: str) -> list[Path]:
    return sorted(FOLDERS.get(package, REPO / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_the_layers_below_it(package: str) -> None:
    forbidden = (PROJECT | WEB_AND_TERMINAL) - ALLOWED[package] - {package}
    offenders = {str(path.relative_to(REPO)): sorted(_imported_roots(path) & forbidden)
                 for path in _modules(package) if _imported_roots(path) & forbidden}
    assert offenders == {}


def test_only_the_sandbox_imports_the_emulator() -> None:
    users = {str(path.relative_to(REPO)) for package in ("bot", "core") for path in _modules(package)
             if "botapi" in _imported_roots(path)}
    assert {user for user in users if not any(user.startswith(allowed) for allowed in EMULATOR_USERS)} == set()


@pytest.mark.parametrize("package", ["datafiles", "intake", "knowledge"])
def test_the_domain_reads_no_clock_and_no_environment(package: str) -> None:
    offenders = {str(path.relative_to(REPO)): sorted(_reads_clock_or_environment(path))
                 for path in _modules(package) if _reads_clock_or_environment(path)}
    assert offenders == {}


def test_the_checks_would_catch_an_adapter_import_and_a_clock_read(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text("import os\nfrom datetime import datetime\nfrom telegram import Update\nimport bot.cli\n"
                      "x = datetime.now()\ny = os.environ['HOME']\n")
    assert _imported_roots(module) & (PROJECT | WEB_AND_TERMINAL) == {"telegram", "bot"}
    assert _reads_clock_or_environment(module) == {"datetime.now", "os.environ"}
