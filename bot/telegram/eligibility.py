"""/eligibilite: the guided pre-eligibility check, one question a message, state kept in the database."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.telegram.callbacks import is_press
from bot.telegram.check_views import answered_text, question_view, state_view
from bot.telegram.consent import ask_consent
from bot.telegram.context import BotContext, Person, pressed, who
from bot.telegram.refusals import polite
from bot.telegram.rendering import edit_html, edit_keyboard, popup_text, send_html
from bot.telegram.texts import say
from intake.errors import (
    InvalidAnswer,
    NotOwner,
    SessionFinished,
    StaleSession,
    UnfitMove,
    UnknownEdition,
    UnknownSession,
)
from intake.services import check_flow
from intake.services.check_flow import CheckMove, CheckStep
from intake.services.checks import CheckState

logger = logging.getLogger(__name__)


async def open_check(update: Update, context: BotContext) -> None:
    """Resume the applicant's check (starting it if new) for the latest or the given edition."""
    person = await who(update, context)
    if not person.consented:
        await ask_consent(context, person)
        return
    catalog, now = context.runtime.catalog, context.runtime.now()
    year = _year(context.args) or catalog.latest().year
    try:
        state = await context.db(lambda s: check_flow.resume(s, person.applicant_id, year, catalog, now))
    except UnknownEdition:
        years = ", ".join(str(y) for y in catalog.years())
        await send_html(context.bot, person.chat_id, say("unknown_edition", person.language, years=years))
        return
    await show_state(context, person, state)


def _year(args: list[str] | None) -> int | None:
    if args and args[0].isdigit() and len(args[0]) == 4:
        return int(args[0])
    return None


async def show_state(context: BotContext, person: Person, state: CheckState, lead: str | None = None) -> None:
    """Send where a check stands (its question or its verdict), after an optional lead line."""
    text, markup = state_view(state, context.runtime.catalog.get(state.edition), person.language)
    await send_html(context.bot, person.chat_id, f"{lead}\n\n{text}" if lead else text, markup)


async def press(update: Update, context: BotContext) -> None:
    """Apply a check button: answer, tick, done, skip, back or restart."""
    query, check_press = pressed(update, CheckMove)
    person = await who(update, context)
    if not person.consented:
        await query.answer(popup_text(say("not_yours", person.language)))
        return
    if check_press.step == CheckStep.TOGGLE:
        await _toggle(query, context, person, check_press)
        return
    catalog, now = context.runtime.catalog, context.runtime.now()
    try:
        step = await context.db(lambda s: check_flow.apply_move(s, person.applicant_id, check_press, catalog, now))
    except (NotOwner, UnknownSession, UnfitMove, InvalidAnswer) as error:
        await query.answer(popup_text(polite(error, person.language)), show_alert=isinstance(error, InvalidAnswer))
        return
    except (StaleSession, SessionFinished) as error:
        await _show_current(query, context, person, check_press, error)
        return
    await query.answer()
    if step.question is not None:
        await edit_html(query, answered_text(step.question, step.value, person.language))
    else:
        await edit_keyboard(query, None)
    await show_state(context, person, step.after)


async def _toggle(query: CallbackQuery, context: BotContext, person: Person, check_press: CheckMove) -> None:
    """Tick or untick an option of a multiple-choice question: only the keyboard changes."""
    catalog, now = context.runtime.catalog, context.runtime.now()
    try:
        state = await context.db(lambda s: check_flow.checked(s, person.applicant_id, check_press, catalog, now))
        if state.current_question is None:
            raise SessionFinished(f"check {state.session_id} is finished")
        check_flow.move_value(state.current_question, check_press)
    except (NotOwner, UnknownSession, UnfitMove) as error:
        await query.answer(popup_text(polite(error, person.language)))
        return
    except (StaleSession, SessionFinished) as error:
        await _show_current(query, context, person, check_press, error)
        return
    _, markup = question_view(state, catalog.get(state.edition), person.language, selected=check_press.arg)
    # The ticks live in the buttons' data: the press is answered (the button stops spinning)
    # only once the new keyboard is there, so a quick second tick does not land on the old
    # keyboard and drop the first.
    await edit_keyboard(query, markup)
    await query.answer()


async def _show_current(
    query: CallbackQuery, context: BotContext, person: Person, check_press: CheckMove, error: Exception
) -> None:
    """Say the press came from an old screen, change nothing, and show where the check is now."""
    await query.answer(popup_text(polite(error, person.language)))
    catalog, now = context.runtime.catalog, context.runtime.now()
    state = await context.db(
        lambda s: check_flow.current(s, person.applicant_id, check_press.session_id, catalog, now)
    )
    await show_state(context, person, state, lead=polite(error, person.language))


async def typed_reply(context: BotContext, person: Person, text: str) -> check_flow.Typed:
    """Take typed text as the answer to the open check's question when it reads as one, and show the next step."""
    catalog, now = context.runtime.catalog, context.runtime.now()
    outcome = await context.db(lambda s: check_flow.typed(s, person.applicant_id, text, catalog, now))
    if outcome.answered is not None:
        await show_state(context, person, outcome.answered.after)
    elif outcome.refused is not None and outcome.open is not None:
        await show_state(context, person, outcome.open, lead=outcome.refused.in_language(person.language))
    return outcome


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Return this conversation's handlers."""
    return [
        CommandHandler(["eligibilite", "eligibility"], open_check),
        CallbackQueryHandler(press, pattern=is_press(CheckMove)),
    ]
