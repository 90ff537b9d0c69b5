"""`cluster-assistant` imports only the module of the command it runs: its table must be right."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import typer
import typer.main

from bot.cli import COMMAND_MODULES

REPO = Path(__file__).resolve().parents[2]


def test_the_table_names_every_command_with_the_module_that_registers_it() -> None:
    registered: dict[str, str] = {}
    modules = [f"bot.{path.stem}" for path in sorted((REPO / "bot").glob("cli_*.py"))]
    for module in modules:
        imported = importlib.import_module(module)
        if not hasattr(imported, "register"):
            continue  # shared options, not commands
        app = typer.Typer()
        app.callback()(lambda: None)
        imported.register(app)
        registered.update(dict.fromkeys(typer.main.get_group(app).commands, module))
    assert registered == COMMAND_MODULES


def test_ask_imports_neither_the_database_nor_the_other_adapters() -> None:
    script = ("import sys\nsys.argv = ['cluster-assistant', 'ask', '--help']\nfrom bot.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('loaded:', *sorted(m for m in ('alembic', 'openpyxl', 'telegram', 'starlette', 'bs4', "
              "'langchain_chroma', 'langsmith', 'sqlalchemy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert "Answer one question" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "loaded:"
