"""A broken edition file is refused with the line of each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.catalog import EDITIONS_DIR, EditionFileError, check_editions, load_edition_file

ORIGINAL = (EDITIONS_DIR / "2025.yaml").read_text(encoding="utf-8")

# (name, text to replace - unique in the file, replacement, words of the expected message)
BREAKAGES = [
    ("not_a_number", "{question: years_of_state_support, greater_than: 8}",
     "{question: years_of_state_support, greater_than: eight}", "valid integer"),
    ("unknown_outcome", "    outcome: not_eligible\n    source: press_2025",
     "    outcome: refused\n    source: press_2025", "'not_eligible' or 'to_confirm'"),
    ("unknown_source", "    source: press_2025\n    confirmed: false\n    explanation",
     "    source: press_2099\n    confirmed: false\n    explanation", "unknown source 'press_2099'"),
    ("unknown_question", "require: {question: has_governance, equals: true}",
     "require: {question: has_governernance, equals: true}", "unknown or later question"),
    ("not_an_option", "require: {question: sector, in: [industrial, technological]}",
     "require: {question: sector, in: [industrial, technologic]}", "'technologic' is not an option"),
    ("bool_against_a_number", "require: {question: member_count, at_least: 15}",
     "require: {question: member_count, equals: true}", "compare with a number"),
    ("two_operators", "require: {question: member_count, at_least: 15}",
     "require: {question: member_count, at_least: 15, at_most: 3}", "exactly one operator"),
    ("no_arabic", 'ar: "ما اسم عنقودكم، ولو كان مؤقتا؟ (اختياري)"',
     'ar: "What is the name?"', "no Arabic letters"),
    ("ask_if_looks_ahead", "    ask_if: {question: cluster_status, equals: existing}",
     "    ask_if: {question: sector, equals: industrial}", "unknown or later question 'sector'"),
    ("contract_type", "  - id: has_governance\n    type: yes_no",
     "  - id: has_governance\n    type: short_text", "must be of type yes_no"),
    ("deadline_in_the_flow", "    ask_if: {question: cluster_status, equals: existing}",
     "    ask_if: {before_deadline: true}", "only be tested in rules"),
    ("unknown_key", "    min_choices: 1", "    min_choice: 1", "Extra inputs are not permitted"),
    ("duplicate_key", "    minimum: 0\n    maximum: 60", "    minimum: 0\n    minimum: 60", "duplicate key 'minimum'"),
    ("duplicate_question", "  - id: member_count\n", "  - id: member_types\n", "duplicate id 'member_types'"),
    ("press_marked_confirmed", "  source: press_2025\n  confirmed: false",
     "  source: press_2025\n  confirmed: true", "not an official text"),
    ("yaml_syntax", "    minimum: 0\n    maximum: 60", "    minimum: 0: 1\n    maximum: 60", "not valid YAML"),
]


def _break(tmp_path: Path, old: str, new: str, name: str = "2025.yaml") -> tuple[Path, int]:
    assert ORIGINAL.count(old) == 1, f"the anchor must be unique: {old!r}"
    text = ORIGINAL.replace(old, new)
    # The reported line is the first line of the replacement that differs from the original.
    first_changed = next(i for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines())) if a != b)
    line = ORIGINAL[: ORIGINAL.index(old)].count("\n") + 1 + first_changed
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, line


@pytest.mark.parametrize(("old", "new", "words"), [case[1:] for case in BREAKAGES], ids=[c[0] for c in BREAKAGES])
def test_a_mistake_is_reported_at_its_line(tmp_path: Path, old: str, new: str, words: str) -> None:
    path, line = _break(tmp_path, old, new)
    with pytest.raises(EditionFileError) as caught:
        load_edition_file(path)
    found = [(p.line, p.message) for p in caught.value.problems]
    assert any(at == line and words in message for at, message in found), found
    assert f"{path}:{line}:" in str(caught.value)


def test_the_unbroken_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "2025.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    assert load_edition_file(path).year == 2025


def test_a_file_name_must_match_its_year(tmp_path: Path) -> None:
    path = tmp_path / "2026.yaml"
    path.write_text(ORIGINAL, encoding="utf-8")
    with pytest.raises(EditionFileError, match=r"2026\.yaml:6: year 2025 differs from the file name"):
        load_edition_file(path)


def test_check_editions_reports_each_file(tmp_path: Path) -> None:
    _break(tmp_path, "    min_choices: 1", "    min_choice: 1", name="2025.yaml")
    (tmp_path / "2024.yaml").write_text((EDITIONS_DIR / "2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    report = check_editions(tmp_path)
    assert report[tmp_path / "2024.yaml"] == []
    assert len(report[tmp_path / "2025.yaml"]) == 1


def test_two_files_for_one_year_are_reported(tmp_path: Path) -> None:
    (tmp_path / "2025.yaml").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "next.yaml").write_text(ORIGINAL, encoding="utf-8")
    report = check_editions(tmp_path)
    assert any("also in 2025.yaml" in p.message for p in report[tmp_path / "next.yaml"])
