"""Domain exceptions the adapters catch and turn into replies."""

from __future__ import annotations

from intake.schema import Language, LocalizedText


class IntakeError(Exception):
    """Base of every error the intake domain raises on purpose."""


class UnknownEdition(IntakeError):
    """No edition file describes the requested year."""

    def __init__(self, year: int, known: list[int]) -> None:
        super().__init__(f"unknown edition {year}; known editions: {', '.join(map(str, known)) or 'none'}")
        self.year = year


class InvalidAnswer(IntakeError):
    """An answer does not fit its question; the message exists in every language."""

    def __init__(self, question_id: str, message: LocalizedText) -> None:
        super().__init__(f"{question_id}: {message.en}")
        self.question_id = question_id
        self.message = message

    def in_language(self, language: Language | str) -> str:
        """Return the message in the applicant's language."""
        return self.message.get(language)

    @property
    def message_fr(self) -> str:
        """Return the French message."""
        return self.message.fr

    @property
    def message_ar(self) -> str:
        """Return the Arabic message."""
        return self.message.ar

    @property
    def message_en(self) -> str:
        """Return the English message."""
        return self.message.en


class UnknownApplicant(IntakeError):
    """No applicant has this id."""


class ConsentRequired(IntakeError):
    """The applicant has not agreed to the storage of their answers yet."""


class UnknownSession(IntakeError):
    """No intake session has this id."""


class NotOwner(IntakeError):
    """The session, item or file belongs to another applicant."""


class StaleSession(IntakeError):
    """Someone changed the session since it was read; reload and try again."""


class SessionFinished(IntakeError):
    """The check is finished; go back or restart to change an answer."""


class CheckIncomplete(IntakeError):
    """The check cannot finish while required questions are unanswered."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("unanswered questions: " + ", ".join(missing))
        self.missing = missing


class UnknownChecklistItem(IntakeError):
    """The edition's checklist has no item with this id."""


class UnknownAttachment(IntakeError):
    """No attachment has this id."""


class UnfitMove(IntakeError):
    """A well-formed move that does not fit the question it points at (an option that does not exist...)."""
