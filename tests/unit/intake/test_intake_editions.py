"""The packaged edition files: the facts they state, their sources and the answer contract."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.catalog import EditionCatalog
from intake.edition_checks import CONTRACT
from intake.errors import UnknownEdition
from intake.schema import Edition, Outcome

CASABLANCA = ZoneInfo("Africa/Casablanca")


def test_the_three_first_editions_are_packaged(catalog: EditionCatalog) -> None:
    assert catalog.years() == [2023, 2024, 2025]


def test_an_unknown_edition_is_refused_with_the_known_ones(catalog: EditionCatalog) -> None:
    with pytest.raises(UnknownEdition, match="2023, 2024, 2025"):
        catalog.get(2019)


@pytest.mark.parametrize(
    ("year", "closes", "source", "confirmed"),
    [
        (2023, datetime(2023, 6, 14, 15, tzinfo=CASABLANCA), "mic_extension_notice_2023", True),
        (2024, datetime(2024, 10, 25, 15, tzinfo=CASABLANCA), "press_2024", False),
        (2025, datetime(2025, 7, 24, 15, tzinfo=CASABLANCA), "press_2025", False),
    ],
)
def test_deadlines_match_the_facts_and_their_sources(
    catalog: EditionCatalog, year: int, closes: datetime, source: str, confirmed: bool
) -> None:
    spec = catalog.get(year)
    assert spec.closes_at() == closes
    assert spec.closes_at().utcoffset() == closes.utcoffset()
    assert spec.deadline.source == source
    assert spec.deadline.confirmed is confirmed


def test_the_2023_deadline_records_its_extension(catalog: EditionCatalog) -> None:
    assert catalog.get(2023).deadline.extended_from.isoformat() == "2023-05-19"


def test_opening_dates_are_unknown_not_invented(edition: Edition) -> None:
    assert edition.deadline.opens_at is None
    assert edition.opens_at() is None


def test_every_edition_keeps_the_answer_contract(edition: Edition) -> None:
    for question_id, (kind, options) in CONTRACT.items():
        question = edition.question(question_id)
        assert question is not None, question_id
        assert question.type == kind
        if options is not None:
            assert set(question.option_ids()) == options


def test_earlier_edition_rules_are_to_confirm_never_a_refusal(edition: Edition) -> None:
    earlier = [rule for rule in edition.rules if edition.sources[rule.source].edition == "2011"]
    assert {rule.id for rule in earlier} == {
        "earlier_rule_association", "earlier_rule_min_members", "earlier_rule_company_share",
    }
    assert all(rule.outcome == Outcome.TO_CONFIRM and not rule.confirmed for rule in earlier)


def test_confirmed_facts_cite_official_texts_only(edition: Edition) -> None:
    facts = [edition.deadline, *edition.rules, *edition.checklist]
    for fact in facts:
        if fact.confirmed:
            assert edition.sources[fact.source].official, fact


def test_the_checklist_says_most_items_are_only_likely(edition: Edition) -> None:
    unconfirmed = [item.id for item in edition.checklist if not item.confirmed]
    assert len(unconfirmed) >= len(edition.checklist) - 2
    assert {"statutes", "member_list", "budget_financing"} <= set(unconfirmed)


def test_every_text_exists_in_three_languages(edition: Edition) -> None:
    texts = [edition.title]
    texts += [q.text for q in edition.questions] + [o.label for q in edition.questions for o in q.options]
    texts += [r.explanation for r in edition.rules] + [i.title for i in edition.checklist]
    texts += [i.why for i in edition.checklist]
    for text in texts:
        assert text.fr.strip() and text.ar.strip() and text.en.strip()
        assert text.ar not in (text.fr, text.en)


def test_sources_cite_document_edition_and_date(catalog: EditionCatalog) -> None:
    source = catalog.get(2025).sources["press_2025"]
    assert source.cite() == "Presse sur l'appel 2025 (biladi.ma), edition 2025, 2025"
    assert source.official is False
