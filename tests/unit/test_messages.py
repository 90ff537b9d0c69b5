"""The interface texts' gettext catalogues: complete in French, Arabic and English, in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from datafiles.language import Language
from datafiles.message_extraction import extract_message_ids

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = {  # domain -> (its catalogues, the folders whose code uses it)
    "bot": (ROOT / "bot" / "locale", ["bot", "intake"]),
    "knowledge": (ROOT / "knowledge" / "locale", ["knowledge"]),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
TAG = re.compile(r"</?\w+")


def _used_ids(sources: list[str]) -> set[str]:
    method_map = [("**.py", extract_message_ids)]
    return {message for folder in sources
            for _, _, message, _, _ in extract_from_dir(ROOT / folder, method_map, keywords={"say": None, "N_": None})}


def _catalogue(domain: str, language: Language, suffix: str) -> dict[str, str]:
    locale, _ = DOMAINS[domain]
    path = locale / language.value / "LC_MESSAGES" / f"{domain}.{suffix}"
    with path.open("rb") as stream:
        catalogue = read_po(stream) if suffix == "po" else read_mo(stream)
    return {str(m.id): str(m.string) for m in catalogue if m.id}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", list(Language))
def test_every_message_the_code_uses_is_translated_and_none_is_left_over(domain: str, language: Language) -> None:
    used = _used_ids(DOMAINS[domain][1])
    translated = {key for key, text in _catalogue(domain, language, "po").items() if text.strip()}
    assert used, "the extractor found no message: the test would prove nothing"
    assert not used - translated, f"untranslated in {language}: run scripts/messages.sh and fill the .po"
    assert not translated - used, "messages no code uses: run scripts/messages.sh"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", list(Language))
def test_the_compiled_catalogue_is_the_edited_one(domain: str, language: Language) -> None:
    assert _catalogue(domain, language, "mo") == _catalogue(domain, language, "po"), "run scripts/messages.sh"


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_fill_the_same_values_and_markup_and_arabic_is_arabic(domain: str) -> None:
    french = _catalogue(domain, Language.FR, "po")
    for other in (Language.AR, Language.EN):
        for key, text in _catalogue(domain, other, "po").items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(french[key])), (other, key)
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(french[key])), (other, key)
    for key, text in _catalogue(domain, Language.AR, "po").items():
        if re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", french[key]).replace("/eligibilite", "")):
            assert re.search(r"[\u0600-\u06FF]", text), key


def test_the_extractor_reads_ids_inside_f_strings_and_both_branches(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("x = f\"{say('inside', lang)}\"\ny = say('a' if ok else 'b', lang)\nz = N_('marked')\n"
                      "w = say(key, lang)\n", encoding="utf-8")
    with source.open("rb") as stream:
        found = [m for _, _, m, _ in extract_message_ids(stream, {"say", "N_"}, [], {})]
    assert sorted(found) == ["a", "b", "inside", "marked"]
