"""The interactive terminal chat: history, sources shown, Ctrl-D to leave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.console import Console
from rich.panel import Panel
from rich.prompt import Prompt

from knowledge.answer_types import Answer
from knowledge.answering import Assistant
from knowledge.base import KnowledgeBase

WELCOME = ("Assistant de l'appel à projets clusters. Posez vos questions en français, arabe ou anglais.\n"
           "Commandes : /historique, /aide. Ctrl-D pour quitter.")


def render_answer(console: Console, answer: Answer) -> None:
    """Print one answer with its sources under it."""
    style = "yellow" if answer.abstained else "green"
    console.print(Panel(answer.answer, border_style=style, title="réponse"), highlight=False)
    for n, src in enumerate(answer.sources, start=1):
        console.print(f"  [{n}] {src.title} (score {src.score:.2f})", highlight=False, soft_wrap=True)


def run_chat(console: Console, assistant: Assistant, base: KnowledgeBase, today: Callable[[], date]) -> None:
    """Read questions until end of input, answering each from the knowledge base."""
    console.print(WELCOME)
    history: list[str] = []
    while True:
        try:
            question = Prompt.ask("[bold]vous[/]", console=console)
        except (EOFError, KeyboardInterrupt):
            console.print("\nAu revoir.")
            return
        if not question.strip():
            continue
        if question.strip() in ("/historique", "/history"):
            console.print("\n".join(f"{n}. {q}" for n, q in enumerate(history, 1)) or "(vide)")
            continue
        if question.strip() in ("/aide", "/help"):
            console.print(WELCOME)
            continue
        history.append(question)
        base.refresh()
        render_answer(console, assistant.answer(question, today()))
