"""The README documents every command and every setting (fails when one is added silently)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer.main

from bot.cli import app
from core.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path + " "))
        else:
            paths.append(path)
    return paths


COMMANDS = _command_paths(typer.main.get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"cluster-assistant {command}" in README


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(field: str) -> None:
    assert f"CLUSTER_ASSISTANT_{field.upper()}" in README


def test_the_readme_gives_the_two_commands() -> None:
    assert "bash scripts/run.sh" in README and "bash scripts/test.sh" in README


@pytest.mark.parametrize("script", sorted(p.name for p in (Path(__file__).resolve().parents[2] / "scripts").iterdir()))
def test_every_script_is_in_the_readme(script: str) -> None:
    assert f"scripts/{script}" in README


_EVAL = Path(__file__).resolve().parents[2] / "eval"


@pytest.mark.parametrize("question_file", sorted(p.name for p in _EVAL.glob("*.yaml")))
def test_every_question_file_is_described(question_file: str) -> None:
    """Each question file says what it is for (dev, frozen test, passages) in eval/README.md."""
    assert f"| `{question_file}` |" in (_EVAL / "README.md").read_text(encoding="utf-8")
