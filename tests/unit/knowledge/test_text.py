"""Folding, language, editions, furniture and intents: pure text functions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from knowledge.candidates import Candidate
from knowledge.card_text import EditionDeadline, Facts
from knowledge.decision import Decision
from knowledge.editions import detect_edition
from knowledge.furniture import strip_furniture
from knowledge.intents import asked_intents, states_deadline
from knowledge.language import detect_language
from knowledge.question import parse_question
from knowledge.retrieval import Hit
from knowledge.store import Passage
from knowledge.text_folding import fold, words
from knowledge.writer import GroundedWriter, deadline_status


@pytest.mark.parametrize(("text", "folded"), [
    ("Dépôt  du DOSSIER", "depot du dossier"),
    ("l’appel", "l'appel"),
    ("آخر أجل", "اخر اجل"),
])
def test_fold_removes_case_accents_and_alef_forms(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_informal_spellings_are_expanded() -> None:
    assert words("c koi la date limite pr deposer") == ["c", "est", "quoi", "la", "date", "limite", "pour", "deposer"]


@pytest.mark.parametrize(("question", "language"), [
    ("Quelle est la date limite ?", "fr"),
    ("c koi la date limite", "fr"),
    ("What is the deadline to apply?", "en"),
    ("ما هو آخر أجل لإيداع الملف؟", "ar"),
    # Latin-script Darija is answered in French, even with an English word in it.
    ("3tini l email dyal division 3afak", "fr"),
    ("wach mazal lwe9t bach ndepose?", "fr"),
])
def test_detect_language(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(("text", "edition"), [
    ("sélectionner, pour l’année 2023, les meilleurs projets", "2023"),
    ("pour l'année 2024 ... 12 clusters depuis l’année 2011", "2024"),
    ("Date limite : 14 juin 2023 à 15h00", "2023"),
    ("Un texte sans année", None),
])
def test_detect_edition(text: str, edition: str | None) -> None:
    assert detect_edition(text) == edition


def test_related_items_block_is_dropped() -> None:
    page = "Le texte de l'appel.\n\nLire Aussi\n\n\"\n\nJournée Nationale de l'Industrie\n\nAutre nouvelle..."
    assert strip_furniture(page) == "Le texte de l'appel."


def test_click_here_links_are_dropped() -> None:
    assert strip_furniture("à télécharger sur le site (cliquer ici pour télécharger le dossier) ") == \
        "à télécharger sur le site"


@pytest.mark.parametrize(("text", "closing"), [
    ("ont jusqu’au 25 octobre à 15H pour déposer", True),
    ("Date limite : 14 juin 2023 à 15h00.", True),
    ("la date de dépôt a été prorogée au 1er mars 2025", True),
    ("l'appel a été lancé le 18 février 2011", False),
    ("jusqu'à la fin de l'année", False),
])
def test_a_closing_date_is_a_date_with_a_closing_word(text: str, closing: bool) -> None:
    assert states_deadline(text) is closing


@pytest.mark.parametrize(("today", "status"), [
    (date(2024, 10, 20), "Il reste 5 jour(s) avant cette date limite (25 octobre 2024 à 15:00)."),
    (date(2024, 10, 25), "Cette date limite (25 octobre 2024 à 15:00) tombe aujourd'hui."),
    (date(2026, 11, 24), "Cette date limite (25 octobre 2024 à 15:00) est passée : nous sommes le 24 novembre 2026."),
])
def test_the_deadline_status_counts_down_then_says_it_passed(today: date, status: str) -> None:
    facts = Facts({"2024": EditionDeadline("2024", datetime(2024, 10, 25, 15), True, "press")}, "05", "a@b.ma")
    assert deadline_status(facts, "2024", "fr", today) == [status]


@pytest.mark.parametrize(("question", "intent"), [
    ("Quelle est la date limite ?", "deadline"),
    ("When is the deadline?", "deadline"),
    ("ما هو آخر أجل؟", "deadline"),
    ("À quelle heure ferme le dépôt ?", "hour"),
    ("Quel est le numéro de téléphone ?", "phone"),
    ("Qu'est-ce qu'un cluster ?", "definition"),
    ("Où se trouve la division ?", "place"),
])
def test_asked_intents(question: str, intent: str) -> None:
    assert intent in [i.name for i in asked_intents(question)]


@pytest.mark.parametrize(("text", "states"), [
    ("Les clusters promettent 81 projets de R&D et 28 brevets.", True),
    ("quatre contrats pour 4 clusters", True),
    ("une aide de 30 % du budget", True),
    ("le 25 octobre 2024 à 15h", False),  # a date is not a count
    ("avant le 1er juin", False),
    ("pour l'année 2012", False),  # nor is a year
])
def test_a_count_is_a_number_of_things(text: str, states: bool) -> None:
    count = next(intent for intent in asked_intents("combien de brevets ?") if intent.name == "count")
    assert count.stated_in(text) is states


@pytest.mark.parametrize("question", ["combien d'emplois R&D étaient visés ?", "How many R&D jobs?"])
def test_a_passage_is_quoted_whole(question: str) -> None:
    """Quoting only the sentence sharing most words with the question once cut the number asked for."""
    text = ("Ils prévoient aussi 24 start-up et 266 emplois en R&D. L'objectif du ministre est de "
            "labelliser 6 autres clusters en 2012.")
    passage = Passage("p:6", text, "/texts/presse-2011.txt", "Presse, contrats 2011", "2011", "§7")
    chosen = Candidate("passage:p:6", "2011", {}, hit=Hit(passage, 1.0, 1.0, 1.0, 1.0), text=text)
    facts = Facts({}, "05", "a@b.ma")

    reply = GroundedWriter(facts).write(Decision(parse_question(question), "answered", chosen=chosen), "fr",
                                        date(2026, 12, 5))

    assert "266 emplois" in reply and "6 autres clusters" in reply


@pytest.mark.parametrize(("name", "edition"), [
    ("presse-2011-09", "2011"),  # the article's date, not the years of its targets or of the next call
    ("fonds_2011", "2011"),
    ("000_b5577419c0233c97", "2012"),  # digits inside a hash date nothing: the edition phrase decides
    ("bilan-2019-2020", "2012"),  # two years: the name does not say which
])
def test_a_file_dated_in_its_name_is_of_that_edition(name: str, edition: str) -> None:
    assert detect_edition("Objectif 2013 ; un deuxième appel pour l'année 2012 ; cible 2013.", name) == edition
