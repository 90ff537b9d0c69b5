"""What staff read on Telegram: the intake overview, one intake, the open question groups.

French only, and kept here rather than in the gettext catalogues: these are the Division's
working texts (like the workspace's templates), never shown to applicants. Every message is
one Telegram message: past the limit, whole lines are dropped from the end under a note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.telegram.dossier_views import ICONS, status_name
from bot.telegram.rendering import MESSAGE_LIMIT, escape, visible_length
from core.question_review import QuestionGroupView
from intake.checklist import ItemStatus
from intake.models import SessionStatus
from intake.schema import Language
from intake.services.dossier import ChecklistView
from intake.services.reviews import ReviewView, review_statuses
from intake.services.staff_views import IntakeDetail
from intake.services.summaries import IntakeSummary, verdict_label

RECENT = 10
GROUPS = 5
QUOTE = 200  # characters of a group's newest question shown
ECHO = 40  # characters of a bad argument repeated back
VERDICTS: tuple[str | None, ...] = ("eligible", "to_confirm", "not_eligible", None)
CUT_NOTE = "… (message coupé : la suite est dans l'espace de travail)"
USAGE = "Précisez le numéro du dossier, par exemple /intake 12 (les numéros sont dans /intakes)."


def intakes_text(summaries: Sequence[IntakeSummary], reviews: dict[int, tuple[str, str | None]]) -> str:
    """Return the counts by verdict and by review status, then the most recently active intakes."""
    if not summaries:
        return "Aucun dossier pour l'instant."
    statuses = {status.id: status.label.fr for status in review_statuses()}
    start = next(iter(statuses))
    # A stored status the data file no longer has reads as the first one, as the review does.
    status_of = {s.session_id: reviews.get(s.session_id, (start, None))[0] for s in summaries}
    status_of = {key: value if value in statuses else start for key, value in status_of.items()}
    verdicts, by_status = Counter(s.verdict for s in summaries), Counter(status_of.values())
    finished = sum(s.status == SessionStatus.FINISHED for s in summaries)
    lines = [f"<b>Dossiers : {len(summaries)}</b> (vérifications terminées : {finished})", "", "<b>Par verdict</b>"]
    # A check's verdict is kept as it goes; only one never answered has none, so that line is rare.
    lines += [f"• {_verdict(verdict)} : {verdicts[verdict]}" for verdict in VERDICTS if verdict or verdicts[verdict]]
    lines += ["", "<b>Par suivi</b>"]
    lines += [f"• {escape(label)} : {by_status[status]}" for status, label in statuses.items()]
    recent = sorted(summaries, key=lambda s: s.updated_at, reverse=True)[:RECENT]
    lines += ["", f"<b>Les {len(recent)} plus récemment actifs</b>"]
    lines += [_intake_line(s, statuses[status_of[s.session_id]]) for s in recent]
    lines += ["", "Le détail d'un dossier : /intake NUMÉRO"]
    return fit(lines)


def _intake_line(summary: IntakeSummary, status: str) -> str:
    return (f"• <b>{escape(_name(summary))}</b> · édition {summary.edition} · {_verdict(summary.verdict)}"
            f"{_unfinished(summary)} · {escape(status)} · n° {summary.session_id}")


def intake_text(detail: IntakeDetail, review: ReviewView) -> str:
    """Return one intake: who and when, its review, the verdict with reasons and sources, answers, checklist."""
    s = detail.summary
    lines = [f"<b>{escape(_name(s))}</b> — dossier n° {s.session_id}",
             f"{escape(s.channel)}:{escape(s.external_id)} · langue {s.language.value} · édition {s.edition} · "
             f"dernière activité {s.updated_at:%Y-%m-%d %H:%M} UTC",
             f"Suivi : {escape(review.status.label.fr)} · examinateur : {escape(review.reviewer or 'personne')}",
             "", f"<b>Verdict : {escape(detail.verdict)}</b>{_unfinished(s)}"]
    lines += [f"• {escape(r.explanation)} (source : {escape(r.source)})" if r.source else f"• {escape(r.explanation)}"
              for r in detail.reasons]
    lines += ["", "<b>Réponses</b>"]
    lines += [f"• {escape(question)} : {escape(answer)}" for question, answer in detail.answers] or ["Aucune réponse."]
    return fit([*lines, "", *_checklist_lines(detail.checklist)])


def _checklist_lines(checklist: ChecklistView) -> list[str]:
    counted = [item for item in checklist.items if item.status != ItemStatus.NOT_APPLICABLE]
    done = sum(item.status == ItemStatus.DONE for item in counted)
    lines = [f"<b>Pièces du dossier : {checklist.completion_percent} %</b> (faites : {done} sur {len(counted)})"]
    return lines + [f"{ICONS[item.status]} {escape(item.title.fr)} <i>({status_name(item.status, Language.FR)})</i>"
                    for item in checklist.items]


def unknown_intake_text(session_id: int) -> str:
    """Return the one line for an id no intake has."""
    return f"Aucun dossier n° {session_id}. Les numéros sont dans /intakes."


def bad_id_text(args: Sequence[str]) -> str:
    """Return the one line for `/intake` without an id or with something else than a number."""
    if not args:
        return USAGE
    given = " ".join(args)
    shown = given if len(given) <= ECHO else given[: ECHO - 1] + "…"
    return f"« {escape(shown)} » n'est pas un numéro de dossier. {USAGE}"


def questions_text(groups: Sequence[QuestionGroupView], days: int) -> str:
    """Return the largest open groups of questions with their sizes, newest question and nearest cards."""
    if not groups:
        return f"Aucune question ouverte ces {days} derniers jours."
    total = sum(len(group.questions) for group in groups)
    shown = groups[:GROUPS]
    lines = [f"<b>Questions ouvertes des {days} derniers jours : {total}</b>, en {_count(len(groups), 'groupe')}"]
    if len(groups) > len(shown):
        lines.append(f"Les {len(shown)} plus grands :")
    for number, group in enumerate(shown, start=1):
        newest = group.questions[0].question
        quote = newest if len(newest) <= QUOTE else newest[: QUOTE - 1] + "…"
        lines += ["", f"{number}. <b>{_count(len(group.questions), 'question')}</b> — « {escape(quote)} »"]
        if group.nearest:
            cards = ", ".join(f"{escape(card.topic)} ({round(card.probability * 100)} %)" for card in group.nearest)
            lines.append(f"Fiches proches : {cards}")
    return fit(lines)


def fit(lines: Sequence[str], limit: int = MESSAGE_LIMIT) -> str:
    """Join lines into one message under Telegram's limit, dropping whole lines from the end under a note.

    Whole lines go, so no tag is ever cut in half.
    """
    text = "\n".join(lines)
    if visible_length(text) <= limit:
        return text
    budget, kept = limit - visible_length(CUT_NOTE), []
    for line in lines:
        budget -= visible_length(line) + 1  # the line and its line break
        if budget < 0:
            break
        kept.append(line)
    return "\n".join([*kept, CUT_NOTE])


def _name(summary: IntakeSummary) -> str:
    return str(summary.answers.get("cluster_name") or "(sans nom)")


def _unfinished(summary: IntakeSummary) -> str:
    return "" if summary.status == SessionStatus.FINISHED or not summary.verdict else " (vérification en cours)"


def _verdict(verdict: str | None) -> str:
    return escape(verdict_label(verdict, Language.FR)) if verdict else "en cours"


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
