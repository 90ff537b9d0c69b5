"""The typed context handlers get: the runtime, database work off the event loop, who is writing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.telegram.callbacks import decode
from core.runtime import Runtime
from intake.database import run_in_unit_of_work, unit_of_work
from intake.schema import Language
from intake.services.applicants import ApplicantView
from intake.services.inbox import ClaimedUpdate, mark_applied
from intake.services.lookups import find_applicant

CHANNEL = "telegram"
T = TypeVar("T")


@dataclass
class Delivery:
    """The stored update the inbox is applying, and what went away during it (the database, the Bot API)."""

    claimed: ClaimedUpdate
    interrupted_by: str | None = None


# The delivery the inbox is applying in this task (webhook mode), None otherwise.
APPLYING: ContextVar[Delivery | None] = ContextVar("applying", default=None)


class BotData:
    """What the application keeps for its whole life: the runtime, set by build_application."""

    def __init__(self) -> None:
        self.runtime: Runtime | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with the runtime and a way to run database work in a thread."""

    @property
    def runtime(self) -> Runtime:
        """Return the process's runtime (knowledge, assistant, database, editions)."""
        runtime = self.bot_data.runtime
        if runtime is None:
            raise RuntimeError("build_application sets the runtime before the bot starts")
        return runtime

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one unit of work, in a worker thread so other chats are not held up.

        While the inbox applies a stored update, a unit of work that changes anything also
        marks the update applied, in the same transaction.
        """
        return await asyncio.to_thread(_in_unit_of_work, self.runtime, work)


def _in_unit_of_work(runtime: Runtime, work: Callable[[Session], T]) -> T:
    applying = APPLYING.get()
    if applying is None:
        return run_in_unit_of_work(runtime.sessions, work)
    with unit_of_work(runtime.sessions) as session:
        wrote = _watch_writes(session)
        result = work(session)
        session.flush()
        if wrote:
            mark_applied(session, applying.claimed.id, now=runtime.now())
        return result


def _watch_writes(session: Session) -> list[bool]:
    """Return a list that gets an item when the session writes (a flush, or an INSERT/UPDATE/DELETE statement)."""
    wrote: list[bool] = []
    event.listen(session, "after_flush", lambda *_: wrote.append(True))

    def on_execute(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            wrote.append(True)

    event.listen(session, "do_orm_execute", on_execute)
    return wrote


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)
BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]


@dataclass(frozen=True)
class Person:
    """Who sent an update: their Telegram id, the applicant if they consented once, their language."""

    user_id: int
    chat_id: int
    applicant: ApplicantView | None
    language: Language

    @property
    def consented(self) -> bool:
        """Return whether the applicant agreed to the storage of their data."""
        return self.applicant is not None and self.applicant.has_consented

    @property
    def applicant_id(self) -> int:
        """Return the applicant's id (only call after checking `consented`)."""
        if self.applicant is None:
            raise RuntimeError("no applicant")
        return self.applicant.id


def language_from_code(code: str | None) -> Language:
    """Return the language for a Telegram language_code: Arabic, English, else French."""
    prefix = (code or "").split("-")[0].lower()
    return Language(prefix) if prefix in ("ar", "en") else Language.FR


async def who(update: Update, context: BotContext) -> Person:
    """Return who sent the update; nothing is created for someone who never consented."""
    user = update.effective_user
    if user is None:
        raise RuntimeError("an update without a user reached a handler")
    # A press on a message the client no longer has comes without its chat: in a private
    # chat, the chat id is the user id.
    chat_id = update.effective_chat.id if update.effective_chat is not None else user.id
    applicant = await context.db(lambda s: find_applicant(s, channel=CHANNEL, external_id=str(user.id)))
    language = applicant.language if applicant else language_from_code(user.language_code)
    return Person(user.id, chat_id, applicant, language)


P = TypeVar("P")


def pressed(update: Update, kind: type[P]) -> tuple[CallbackQuery, P]:
    """Return the callback query and its decoded press, for a handler whose pattern chose `kind`."""
    query = update.callback_query
    press = decode(query.data) if query is not None else None
    if query is None or not isinstance(press, kind):
        raise RuntimeError(f"a handler for {kind.__name__} got another update")
    return query, press
