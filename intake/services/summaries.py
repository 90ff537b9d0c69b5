"""Intake summaries: structured for staff and exports, and as text in the applicant's language."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from intake import repositories as repo
from intake.catalog import EditionCatalog, packaged_catalog
from intake.checklist import ItemStatus, ProgressMemo
from intake.models import Applicant, ChecklistItemState, IntakeSession, SessionStatus
from intake.schema import Edition, Language, Question, QuestionType

_WORDS: dict[str, dict[str, str]] = {
    "title": {"fr": "Résumé de votre pré-vérification, édition {year}",
              "ar": "ملخص التحقق الأولي من الأهلية، دورة {year}",
              "en": "Summary of your pre-eligibility check, {year} edition"},
    "answers": {"fr": "Vos réponses :", "ar": "أجوبتكم:", "en": "Your answers:"},
    "verdict": {"fr": "Résultat : {verdict}", "ar": "النتيجة: {verdict}", "en": "Result: {verdict}"},
    "eligible": {"fr": "éligible a priori", "ar": "مؤهل مبدئيا", "en": "eligible at first sight"},
    "not_eligible": {"fr": "non éligible", "ar": "غير مؤهل", "en": "not eligible"},
    "to_confirm": {"fr": "à confirmer", "ar": "يتعين التأكد", "en": "to confirm"},
    "reasons": {"fr": "Pourquoi :", "ar": "الأسباب:", "en": "Why:"},
    "source": {"fr": "source", "ar": "المصدر", "en": "source"},
    "missing": {"fr": "Questions encore sans réponse : {items}", "ar": "أسئلة لم تُجيبوا عنها بعد: {items}",
                "en": "Questions still unanswered: {items}"},
    "dossier": {"fr": "Dossier : {percent} % prêt", "ar": "الملف: {percent}% جاهز", "en": "Dossier: {percent}% ready"},
    "next": {"fr": "Prochaine pièce : {item}", "ar": "الوثيقة الموالية: {item}", "en": "Next item: {item}"},
    "yes": {"fr": "oui", "ar": "نعم", "en": "yes"},
    "no": {"fr": "non", "ar": "لا", "en": "no"},
    "disclaimer": {
        "fr": "Ce résultat est indicatif : seule la Division des clusters du Ministère peut confirmer l'éligibilité.",
        "ar": "هذه النتيجة استرشادية فقط، ولا يمكن تأكيد الأهلية إلا من طرف القسم المختص بالوزارة.",
        "en": "This result is only a guide: only the Ministry's cluster Division can confirm eligibility.",
    },
}
_CHUNK = 500  # ids per IN (...) list, well under SQLite's and PostgreSQL's limits on parameters


@dataclass(frozen=True)
class IntakeSummary:
    """One applicant's check for one edition, as staff and exports see it."""

    session_id: int
    applicant_id: int
    channel: str
    external_id: str
    language: Language
    edition: int
    status: str
    answers: dict[str, Any]
    verdict: str | None
    reasons: list[dict[str, str]]
    missing: list[str]
    checklist_completion: int
    next_item: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


# What a row of `summary_query` gives a summary; the checklist's part is computed.
_FIELDS = [field.name for field in fields(IntakeSummary) if field.name not in ("checklist_completion", "next_item")]


def build_summary(
    session: Session, applicant_id: int, session_id: int, *, catalog: EditionCatalog | None = None
) -> IntakeSummary:
    """Return the summary of one of the applicant's checks.

    Args:
        session: the unit of work's session.
        applicant_id: who asks; must own the session.
        session_id: the intake session.
        catalog: the editions (default: the packaged ones).

    Returns:
        The structured summary; `render_summary_text` turns it into a message.

    Raises:
        UnknownSession, NotOwner, UnknownEdition.
    """
    row = repo.owned_session(session, applicant_id, session_id)
    spec = (catalog or packaged_catalog()).get(row.edition)
    states = list(repo.item_states(session, applicant_id, row.edition).values())
    return _summary(row, repo.applicant(session, applicant_id), spec, states)


def list_summaries(
    session: Session, *, edition: int | None = None, catalog: EditionCatalog | None = None
) -> list[IntakeSummary]:
    """Return every applicant's summary, for staff; sessions of unknown editions are left out.

    Args:
        session: the unit of work's session.
        edition: only this edition's checks, or all.
        catalog: the editions (default: the packaged ones).

    Returns:
        One summary per intake session, oldest first.
    """
    editions = catalog or packaged_catalog()
    query = summary_query(editions)
    if edition is not None:
        query = query.where(IntakeSession.edition == edition)
    rows = session.execute(query.order_by(IntakeSession.id)).all()
    return _assembled(session, rows, editions, None, ProgressMemo())


def summaries_by_id(
    session: Session, session_ids: Sequence[int], *, catalog: EditionCatalog | None = None
) -> list[IntakeSummary]:
    """Return the summaries of these intakes, in the order given; unknown ids and editions are left out.

    Args:
        session: the unit of work's session.
        session_ids: the intake sessions, in the order wanted (a page of a list, or all of an export).
        catalog: the editions (default: the packaged ones).

    Returns:
        One summary per known intake session.
    """
    editions = catalog or packaged_catalog()
    found: dict[int, IntakeSummary] = {}
    memo = ProgressMemo()
    for start in range(0, len(session_ids), _CHUNK):
        chunk = session_ids[start:start + _CHUNK]
        rows = session.execute(summary_query(editions).where(IntakeSession.id.in_(chunk))).all()
        applicants = {row.applicant_id for row in rows}
        found.update((s.session_id, s) for s in _assembled(session, rows, editions, applicants, memo))
    return [found[session_id] for session_id in session_ids if session_id in found]


def summary_query(catalog: EditionCatalog) -> Select[Any]:
    """Return the query of what a summary is built from, for lists to filter, order and slice.

    Its rows (intakes of the catalog's editions, with their applicant) go to `summaries_of_rows`.
    """
    # Plain rows, named as IntakeSummary's fields, load several times faster than ORM
    # objects: a list or an export of thousands of intakes feels the difference.
    return (select(IntakeSession.id.label("session_id"), IntakeSession.applicant_id, Applicant.channel,
                   Applicant.external_id, Applicant.language, IntakeSession.edition, IntakeSession.status,
                   IntakeSession.answers, IntakeSession.verdict, IntakeSession.reasons, IntakeSession.missing,
                   IntakeSession.created_at, IntakeSession.updated_at, IntakeSession.finished_at)
            .join(Applicant, IntakeSession.applicant_id == Applicant.id)
            .where(IntakeSession.edition.in_(catalog.years())))


def summaries_of_rows(session: Session, rows: Sequence[Row[Any]], *, catalog: EditionCatalog,
                      applicant_ids: Collection[int] | Select[int] | None) -> list[IntakeSummary]:
    """Return the summaries of rows of `summary_query`, in their order.

    Args:
        session: the unit of work's session.
        rows: rows of `summary_query(catalog)`, extra columns allowed.
        catalog: the editions the query was made with.
        applicant_ids: the rows' applicants (ids, or a query of them), or None: their checklist statuses are read.

    Returns:
        One summary per row.
    """
    return _assembled(session, rows, catalog, applicant_ids, ProgressMemo())


def stored_statuses(
    session: Session, applicant_ids: Collection[int] | Select[int] | None
) -> dict[tuple[int, int], dict[str, ItemStatus]]:
    """Return the stored checklist statuses by (applicant id, edition), then item id.

    Args:
        session: the unit of work's session.
        applicant_ids: whose statuses (ids, or a query of them), or None for everyone's.

    Returns:
        The statuses staff or the applicant set; items never touched are absent.
    """
    query = select(ChecklistItemState.applicant_id, ChecklistItemState.edition, ChecklistItemState.item_id,
                   ChecklistItemState.status)
    if applicant_ids is not None:
        query = query.where(ChecklistItemState.applicant_id.in_(applicant_ids))
    grouped: dict[tuple[int, int], dict[str, ItemStatus]] = {}
    for applicant_id, edition, item_id, status in session.execute(query):
        grouped.setdefault((applicant_id, edition), {})[item_id] = status
    return grouped


def render_summary_text(
    summary: IntakeSummary, language: Language | str, *, catalog: EditionCatalog | None = None
) -> str:
    """Return the summary as a chat message in French, Arabic or English."""
    lang = Language(language)
    spec = (catalog or packaged_catalog()).get(summary.edition)
    lines = [_word("title", lang, year=summary.edition), "", _word("answers", lang)]
    for question in spec.questions:
        if question.id in summary.answers:
            value = answer_label(question, summary.answers[question.id], lang)
            lines.append(f"• {question.label(lang)}{_colon(lang)}{value}")
    lines += ["", _word("verdict", lang, verdict=verdict_label(summary.verdict, lang))]
    lines += _reason_lines(summary, spec, lang)
    if summary.missing:
        labels = [spec.question(q).label(lang) if spec.question(q) else q for q in summary.missing]  # type: ignore[union-attr]
        lines.append(_word("missing", lang, items=", ".join(labels)))
    lines += ["", _word("dossier", lang, percent=summary.checklist_completion)]
    item = next((i for i in spec.checklist if i.id == summary.next_item), None)
    if item is not None:
        lines.append(_word("next", lang, item=item.title.get(lang)))
    lines += ["", _word("disclaimer", lang)]
    return "\n".join(lines)


def verdict_label(verdict: str | None, language: Language | str) -> str:
    """Return a verdict in words: "eligible at first sight", "not eligible" or "to confirm"."""
    return _word(str(verdict or "to_confirm"), Language(language))


def answer_label(question: Question, value: Any, language: Language | str) -> str:
    """Return an answer as words in the language: option labels, yes/no, the number or text."""
    lang = Language(language)
    if value is None:
        return "—"
    if question.type == QuestionType.YES_NO:
        return _word("yes" if value else "no", lang)
    labels = {option.id: option.label.get(lang) for option in question.options}
    if question.type == QuestionType.MULTIPLE_CHOICE:
        separator = "، " if lang == Language.AR else ", "
        return separator.join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value)) if question.type == QuestionType.SINGLE_CHOICE else str(value)


def reason_texts(summary: IntakeSummary, spec: Edition, lang: Language) -> list[tuple[str, str]]:
    """Return each reason of the verdict as (explanation, source cited); a rule the edition lacks keeps its id."""
    rules = {rule.id: rule for rule in spec.rules}
    texts = []
    for reason in summary.reasons:
        rule = rules.get(reason["rule"])
        texts.append((rule.explanation.get(lang), spec.sources[rule.source].cite()) if rule else (reason["rule"], ""))
    return texts


def _reason_lines(summary: IntakeSummary, spec: Edition, lang: Language) -> list[str]:
    lines = [_word("reasons", lang)] if summary.reasons else []
    for explanation, cite in reason_texts(summary, spec, lang):
        lines.append(f"• {explanation} ({_word('source', lang)}{_colon(lang)}{cite})" if cite else f"• {explanation}")
    return lines


def _summary(row: IntakeSession, person: Applicant, spec: Edition, states: list[ChecklistItemState]) -> IntakeSummary:
    return _assemble({
        "session_id": row.id, "applicant_id": person.id, "channel": person.channel,
        "external_id": person.external_id, "language": person.language, "edition": row.edition,
        "status": row.status, "answers": row.answers, "verdict": row.verdict, "reasons": row.reasons,
        "missing": row.missing, "created_at": row.created_at, "updated_at": row.updated_at,
        "finished_at": row.finished_at,
    }, spec, {state.item_id: state.status for state in states}, ProgressMemo())


def _assembled(session: Session, rows: Sequence[Row[Any]], editions: EditionCatalog,
               applicant_ids: Collection[int] | Select[int] | None, memo: ProgressMemo) -> list[IntakeSummary]:
    statuses = stored_statuses(session, applicant_ids) if rows else {}
    return [_assemble({name: getattr(row, name) for name in _FIELDS}, editions.get(row.edition),
                      statuses.get((row.applicant_id, row.edition), {}), memo) for row in rows]


def _assemble(values: dict[str, Any], spec: Edition, stored: Mapping[str, ItemStatus],
              memo: ProgressMemo) -> IntakeSummary:
    answers = dict(values["answers"] or {})
    completion, following = memo.outcome(spec, stored, answers)
    return IntakeSummary(**{
        **values, "language": Language(values["language"]), "status": SessionStatus(values["status"]).value,
        "answers": answers, "reasons": list(values["reasons"] or []), "missing": list(values["missing"] or []),
        "checklist_completion": completion, "next_item": following,
    })


def _colon(language: Language) -> str:
    # French typography puts a space before the colon; English and Arabic do not.
    return " : " if language == Language.FR else ": "


def _word(key: str, language: Language, **values: Any) -> str:
    return _WORDS[key][language.value].format(**values)
