"""Commands over the knowledge base: ingest, ask, chat."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_options import DataDirOption, JsonOption, build_settings, console, error_console, fail
from bot.terminal_chat import render_answer, run_chat
from core.clock import SystemClock, today
from core.settings import Settings
from core.wiring import build_assistant, build_knowledge_base
from knowledge.answering import Assistant
from knowledge.base import KnowledgeBase
from knowledge.decision import Decision
from knowledge.ingest import expand_paths
from knowledge.retriever_modes import RETRIEVER_MODES
from knowledge.sources import MissingCalibration
from knowledge.store import IndexMismatch, IndexUnavailable

Mode = Annotated[
    str | None, typer.Option("--retriever", help=f"One of {', '.join(RETRIEVER_MODES)} (default: the setting).")
]
TodayOption = Annotated[str | None, typer.Option("--today", help="Compare deadlines with this date (YYYY-MM-DD).")]
NoPackOption = Annotated[bool, typer.Option("--no-pack", help="Without the built-in answer cards.")]


def register(app: typer.Typer) -> None:
    """Add the knowledge commands to the main app."""
    app.command()(ingest)
    app.command()(ask)
    app.command()(chat)


def open_base(settings: Settings, mode: str | None = None) -> KnowledgeBase:
    """Open the knowledge base, turning an index built with another model into a one-line error."""
    try:
        return build_knowledge_base(settings, mode)  # type: ignore[arg-type]
    except IndexMismatch as error:
        raise fail(str(error)) from None


def open_assistant(data_dir: Path | None, no_pack: bool, retriever: str | None) -> Assistant:
    """Build the assistant the ask, chat and eval commands use."""
    settings = build_settings(data_dir, load_knowledge_pack=False if no_pack else None)
    base = open_base(settings, parse_mode(retriever))
    try:
        base.snapshot()
    except MissingCalibration as error:
        raise fail(str(error)) from None
    return build_assistant(settings, base)


def parse_today(value: str | None) -> date:
    """Return the `--today` date, or today in Morocco."""
    if value is None:
        return today(SystemClock())
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--today {value!r} is not a date like 2026-11-24") from None


def parse_mode(value: str | None) -> str | None:
    """Return a valid `--retriever` value."""
    if value is not None and value not in RETRIEVER_MODES:
        raise fail(f"--retriever {value!r}: choose {', '.join(RETRIEVER_MODES)}")
    return value


def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (.txt .md .html .pdf .docx).")] = None,
    edition: Annotated[
        int | None, typer.Option("--edition", min=2000, max=2100, help="Edition year of these files.")
    ] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="Drop a document (its path).")] = None,
    no_pack: NoPackOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Index call texts; unchanged files are skipped, changed ones replaced."""
    if not paths and not remove:
        raise fail("give at least one PATH to index or --remove PATH")
    settings = build_settings(data_dir, load_knowledge_pack=False if no_pack else None)
    base = open_base(settings)
    for source in remove or []:
        count = base.remove(source)
        console.print(f"removed {source}: {count} passages" if count else f"[yellow]not indexed:[/] {source}",
                      soft_wrap=True)
    files = list(expand_paths(paths or []))
    if not files:
        return
    # Imported here: only indexing shows a progress bar, and `ask` starts faster without it.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=error_console, transient=True) as progress:
        task = progress.add_task("indexing", total=len(files))
        report = base.ingest(files, str(edition) if edition else None,
                             on_file=lambda p: progress.update(task, advance=1, description=p.name))
    for failure in report.failed:
        error_console.print(f"[bold red]error:[/] {failure}", highlight=False, soft_wrap=True)
    console.print(f"indexed {len(report.indexed)}, unchanged {len(report.unchanged)}, "
                  f"failed {len(report.failed)}; {report.passages} passages from these files")
    if not report.ok:
        raise typer.Exit(1)


def ask(
    question: Annotated[
        str,
        typer.Argument(
            help="The question (French, Arabic, Darija or English); - reads one a line from standard input."
        ),
    ],
    as_json: JsonOption = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Show the candidates, their features and scores, the threshold and the decision."
        ),
    ] = False,
    today: TodayOption = None,
    retriever: Mode = None,
    no_pack: NoPackOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Answer one question (or, with -, each line of standard input) from the cards and the indexed texts."""
    when = parse_today(today)
    assistant = open_assistant(data_dir, no_pack, retriever)
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else iter([question])
    for text in questions:
        if question == "-" and not text.strip():
            continue
        try:
            answer = assistant.answer(text, when)
        except IndexUnavailable as error:
            raise fail(f"{error}: try again shortly", code=1) from None
        if as_json:
            typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            render_answer(console, answer)
        if explain:
            for decision in assistant.decisions(text):
                _explain(decision)


def _explain(decision: Decision) -> None:
    question = decision.question
    console.print(f"[bold]question[/] {question.text!r}: language {question.language}, "
                  f"types {[i.name for i in question.intents] or '-'}, years {sorted(question.years) or '-'}",
                  highlight=False, soft_wrap=True)
    console.print(f"threshold {decision.threshold:.3f}; candidates, best first:", highlight=False)
    for candidate in decision.candidates:
        mark = "→ " if candidate is decision.chosen else "  "
        features = " ".join(f"{name}={value:.2f}" for name, value in candidate.features.items())
        console.print(f"{mark}{candidate.key} p={candidate.probability:.3f} {features}", highlight=False,
                      soft_wrap=True)
    extra = (
        f" (card {decision.gap.id})" if decision.gap else f" ({decision.unknown_year})" if decision.unknown_year else ""
    )
    console.print(f"[bold]decision[/] {decision.outcome}{extra}, best score {decision.score:.3f}", highlight=False)


def chat(data_dir: DataDirOption = None, today: TodayOption = None, no_pack: NoPackOption = False) -> None:
    """Talk with the assistant in the terminal (Ctrl-D to leave)."""
    assistant = open_assistant(data_dir, no_pack, None)
    run_chat(console, assistant, assistant.sources, lambda: parse_today(today))  # type: ignore[arg-type]
