"""Commands over the knowledge base: ingest, ask, chat, eval."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.cli_options import DataDirOption, JsonOption, build_settings, console, error_console, fail
from bot.terminal_chat import render_answer, run_chat
from bot.wiring import build_assistant, build_knowledge_base, today_in_morocco
from knowledge.evaluation import EvalReport, InvalidQuestionFile, load_cases, run_case
from bot.settings import Settings
from knowledge.answering import Assistant
from knowledge.base import KnowledgeBase
from knowledge.ingest import expand_paths
from knowledge.store import IndexMismatch

Mode = Annotated[Optional[str], typer.Option("--retriever", help="hybrid (default), dense or bm25.")]
TodayOption = Annotated[Optional[str], typer.Option("--today", help="Compare deadlines with this date (YYYY-MM-DD).")]
NoPackOption = Annotated[bool, typer.Option("--no-pack", help="Do not index the built-in knowledge pack.")]


def register(app: typer.Typer) -> None:
    """Add the knowledge commands to the main app."""
    app.command()(ingest)
    app.command()(ask)
    app.command()(chat)
    app.command(name="eval")(evaluate)


def _open(settings: Settings, mode: str | None = None) -> KnowledgeBase:
    try:
        return build_knowledge_base(settings, mode)  # type: ignore[arg-type]
    except IndexMismatch as error:
        raise fail(str(error)) from None


def _assistant(data_dir: Path | None, no_pack: bool, retriever: str | None) -> Assistant:
    settings = build_settings(data_dir, load_knowledge_pack=False if no_pack else None)
    return build_assistant(settings, _open(settings, _mode(retriever)))


def _today(value: str | None) -> date:
    if value is None:
        return today_in_morocco()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--today {value!r} is not a date like 2026-11-24") from None


def _mode(value: str | None) -> str | None:
    if value not in (None, "hybrid", "dense", "bm25"):
        raise fail(f"--retriever {value!r}: choose hybrid, dense or bm25")
    return value


def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (.txt .md .html .pdf .docx).")] = None,
    edition: Annotated[Optional[int], typer.Option("--edition", min=2000, max=2100, help="Edition year of these files.")] = None,
    remove: Annotated[Optional[list[str]], typer.Option("--remove", help="Drop a document (path or pack:NAME).")] = None,
    no_pack: NoPackOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Index call texts; unchanged files are skipped, changed ones replaced."""
    if not paths and not remove:
        raise fail("give at least one PATH to index or --remove PATH")
    settings = build_settings(data_dir, load_knowledge_pack=False if no_pack else None)
    base = _open(settings)
    for source in remove or []:
        count = base.remove(source)
        console.print(f"removed {source}: {count} passages" if count else f"[yellow]not indexed:[/] {source}",
                      soft_wrap=True)
    files = list(expand_paths(paths or []))
    if not files:
        return
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
    question: Annotated[str, typer.Argument(help="The question, in French, Arabic or English.")],
    as_json: JsonOption = False,
    today: TodayOption = None,
    retriever: Mode = None,
    no_pack: NoPackOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Answer one question from the indexed texts, with its sources."""
    answer = _assistant(data_dir, no_pack, retriever).answer(question, _today(today))
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        render_answer(console, answer)


def chat(data_dir: DataDirOption = None, today: TodayOption = None, no_pack: NoPackOption = False) -> None:
    """Talk with the assistant in the terminal (Ctrl-D to leave)."""
    settings = build_settings(data_dir, load_knowledge_pack=False if no_pack else None)
    base = _open(settings)
    run_chat(console, build_assistant(settings, base), base, lambda: _today(today))


def evaluate(
    file: Annotated[Path, typer.Argument(help="A question file like shared/eval/questions.yaml.")],
    as_json: JsonOption = False,
    retriever: Mode = None,
    today: TodayOption = None,
    no_pack: NoPackOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run a question file: per-case pass/fail, hit rate, abstention, recall, MRR, latency."""
    try:
        cases = load_cases(file)
    except InvalidQuestionFile as error:
        raise fail(str(error)) from None
    assistant = _assistant(data_dir, no_pack, retriever)
    when = _today(today)
    assistant.answer("warm-up", when)
    report = EvalReport([run_case(assistant, case, when) for case in cases])
    if as_json:
        typer.echo(json.dumps({"retriever": assistant.retriever.mode, "summary": report.summary(),
                               "cases": [{"id": r.case.id, "passed": r.passed, "abstained": r.abstained,
                                          "first_relevant_rank": r.first_relevant_rank} for r in report.results]},
                              ensure_ascii=False))
    else:
        _print_report(report, assistant.retriever.mode)
    if not all(r.passed for r in report.results):
        raise typer.Exit(1)


def _print_report(report: EvalReport, mode: str) -> None:
    table = Table("case", "result", "rank", "ms", title=f"retriever: {mode}")
    for r in report.results:
        table.add_row(r.case.id, "[green]pass[/]" if r.passed else "[red]FAIL[/]",
                      str(r.first_relevant_rank or "-"), f"{r.seconds * 1000:.1f}")
    console.print(table)
    console.print(report.summary())
