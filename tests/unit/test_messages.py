"""The interface texts' gettext catalogues: complete in French, Arabic and English, in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from datafiles.language import Language
from datafiles.message_extraction import extract_message_ids

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = {  # domain -> (its catalogues, the folders whose code uses it, the functions that mark its texts)
    "bot": (ROOT / "bot" / "locale", ["bot", "intake"], ("say", "N_")),
    "knowledge": (ROOT / "knowledge" / "locale", ["knowledge"], ("say", "N_")),
    "dashboard": (ROOT / "bot" / "dashboard" / "locale", ["bot/dashboard"], ("N_", "_", "gettext")),  # + templates
}
SOURCE_LANGUAGE = {"dashboard": Language.FR}  # its message ids are the French texts: fr needs no entry
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")
TAG = re.compile(r"</?\w+")


def _used_ids(domain: str) -> set[str]:
    """Return the ids the code uses, extracted as scripts/messages.sh does (babel.cfg, the domain's keywords)."""
    _, sources, keywords = DOMAINS[domain]
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message for folder in sources for _, _, message, _, _ in extract_from_dir(
        ROOT / folder, method_map, options_map, keywords=dict.fromkeys(keywords))}


def _catalogue(domain: str, language: Language, suffix: str) -> dict[str, str]:
    locale, _, _ = DOMAINS[domain]
    path = locale / language.value / "LC_MESSAGES" / f"{domain}.{suffix}"
    with path.open("rb") as stream:
        catalogue = read_po(stream) if suffix == "po" else read_mo(stream)
    return {str(m.id): str(m.string) for m in catalogue if m.id}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", list(Language))
def test_every_message_the_code_uses_is_translated_and_none_is_left_over(domain: str, language: Language) -> None:
    used = _used_ids(domain)
    catalogue = _catalogue(domain, language, "po")
    if SOURCE_LANGUAGE.get(domain) == language:  # the id is the text
        translated = set(catalogue)
    else:
        translated = {key for key, text in catalogue.items() if text.strip()}
    assert used, "the extractor found no message: the test would prove nothing"
    assert not used - translated, f"untranslated in {language}: run scripts/messages.sh and fill the .po"
    assert not translated - used, "messages no code uses: run scripts/messages.sh"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", list(Language))
def test_the_compiled_catalogue_is_the_edited_one(domain: str, language: Language) -> None:
    edited = {key: text for key, text in _catalogue(domain, language, "po").items() if text}
    assert _catalogue(domain, language, "mo") == edited, "run scripts/messages.sh"


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_fill_the_same_values_and_markup_and_arabic_is_arabic(domain: str) -> None:
    french = {key: text or key for key, text in _catalogue(domain, Language.FR, "po").items()}
    for other in (Language.AR, Language.EN):
        for key, text in _catalogue(domain, other, "po").items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(french[key])), (other, key)
            assert sorted(TAG.findall(text)) == sorted(TAG.findall(french[key])), (other, key)
    for key, text in _catalogue(domain, Language.AR, "po").items():
        if re.search(r"[A-Za-z]{4,}", PLACEHOLDER.sub("", french[key]).replace("/eligibilite", "")):
            assert re.search(r"[\u0600-\u06FF]", text), key


def test_the_workspace_templates_and_routes_are_read_and_the_bots_ids_are_not_taken_from_them() -> None:
    dashboard, bot = _used_ids("dashboard"), _used_ids("bot")
    assert {"Dossiers", "Se connecter", "E-mail ou mot de passe incorrect."} <= dashboard  # templates, N_, _()
    assert "Dossiers" not in bot and not dashboard & bot


def test_the_extractor_keeps_only_the_keywords_a_section_names(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("a = say('bot_id', lang)\nb = N_('Texte du tableau de bord')\n", encoding="utf-8")
    with source.open("rb") as stream:
        found = [m for _, _, m, _ in extract_message_ids(stream, {"say", "N_"}, [], {"only": "say"})]
    assert found == ["bot_id"]


def test_the_extractor_reads_ids_inside_f_strings_and_both_branches(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("x = f\"{say('inside', lang)}\"\ny = say('a' if ok else 'b', lang)\nz = N_('marked')\n"
                      "w = say(key, lang)\n", encoding="utf-8")
    with source.open("rb") as stream:
        found = [m for _, _, m, _ in extract_message_ids(stream, {"say", "N_"}, [], {})]
    assert sorted(found) == ["a", "b", "inside", "marked"]
