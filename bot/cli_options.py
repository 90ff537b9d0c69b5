"""Options every command shares, and how a command turns them into `Settings`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from core.settings import Settings

if TYPE_CHECKING:
    from core.runtime import Runtime

console = Console()
error_console = Console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where all state lives (index, database, uploads). "
        "Default: $CLUSTER_ASSISTANT_DATA_DIR or ~/.local/share/cluster-assistant.",
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    error_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def first_line(error: Exception) -> str:
    """Return the first line of an error (a database driver's own message when it has one)."""
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def build_settings(data_dir: Path | None, **overrides: Any) -> Settings:
    """Build `Settings` from the environment, with command-line values on top."""
    values = {key: value for key, value in overrides.items() if value is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    try:
        settings = Settings(**values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise fail(f"invalid setting {where}: {first['msg']}") from None
    # With the date and time: an operator lines a log up with what applicants and staff report.
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("bm25s", "chromadb", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def runtime_or_fail(settings: Settings) -> Runtime:
    """Build the runtime, turning an index built with another model into a one-line error."""
    # Imported here: the runtime opens the database (SQLAlchemy, Alembic), which `ask` never needs.
    from core.runtime import build_runtime
    from intake.catalog import EditionFileError
    from intake.database import SchemaOutOfDate
    from knowledge.store import IndexMismatch

    try:
        return build_runtime(settings)
    except (IndexMismatch, SchemaOutOfDate) as error:
        raise fail(str(error)) from None
    except EditionFileError as error:
        raise fail(f"{error.problems[0]} (run `cluster-assistant editions check`)") from None
