"""Load edition files, report their mistakes by line, and hold the editions a process uses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from intake.edition_checks import check_edition
from intake.errors import UnknownEdition
from intake.schema import Edition

logger = logging.getLogger(__name__)

EDITIONS_DIR = Path(__file__).parent / "editions"
Marks = dict[tuple[str | int, ...], int]


@dataclass(frozen=True)
class EditionProblem:
    """One mistake in an edition file, with the line it is on when known."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


class EditionFileError(Exception):
    """An edition file could not be read or is not valid."""

    def __init__(self, problems: list[EditionProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_edition_file(path: Path) -> Edition:
    """Read, validate and cross-check one edition file.

    Raises:
        EditionFileError: listing every mistake with its line.
    """
    try:
        data, marks, problems = _parse(path)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise EditionFileError([EditionProblem(path, line, f"not valid YAML: {_yaml_reason(error)}")]) from None
    try:
        edition = Edition.model_validate(data)
    except ValidationError as error:
        problems += [_from_pydantic(path, marks, item) for item in error.errors()]
        raise EditionFileError(problems) from None
    problems += [EditionProblem(path, _line(marks, where), message) for where, message in check_edition(edition)]
    if path.stem.isdigit() and int(path.stem) != edition.year:
        problems.append(EditionProblem(path, _line(marks, ("year",)), f"year {edition.year} differs from the file name"))
    if problems:
        raise EditionFileError(problems)
    return edition


def check_editions(directory: Path = EDITIONS_DIR) -> dict[Path, list[EditionProblem]]:
    """Validate every `*.yaml` file of a directory; return the problems found per file."""
    report: dict[Path, list[EditionProblem]] = {}
    years: dict[int, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            edition = load_edition_file(path)
        except EditionFileError as error:
            report[path] = error.problems
            continue
        report[path] = []
        if edition.year in years:
            report[path].append(EditionProblem(path, None, f"year {edition.year} is also in {years[edition.year].name}"))
        years[edition.year] = path
    return report


class EditionCatalog:
    """The editions known to a process, by year."""

    def __init__(self, editions: list[Edition]) -> None:
        self._editions = {edition.year: edition for edition in editions}

    def get(self, year: int) -> Edition:
        """Return the edition of `year`.

        Raises:
            UnknownEdition: when no file describes that year.
        """
        try:
            return self._editions[year]
        except KeyError:
            raise UnknownEdition(year, self.years()) from None

    def years(self) -> list[int]:
        """Return the known years, oldest first."""
        return sorted(self._editions)

    def latest(self) -> Edition:
        """Return the most recent edition."""
        return self._editions[max(self._editions)]


def load_catalog(directory: Path = EDITIONS_DIR) -> EditionCatalog:
    """Load every edition of a directory.

    Raises:
        EditionFileError: on the first file with a mistake.
    """
    editions = [load_edition_file(path) for path in sorted(directory.glob("*.yaml"))]
    if not editions:
        raise EditionFileError([EditionProblem(directory, None, "no edition file (*.yaml) here")])
    logger.info("loaded editions %s from %s", [e.year for e in editions], directory)
    return EditionCatalog(editions)


@lru_cache(maxsize=1)
def packaged_catalog() -> EditionCatalog:
    """Return the editions shipped with the package, loaded once."""
    return load_catalog(EDITIONS_DIR)


def _parse(path: Path) -> tuple[Any, Marks, list[EditionProblem]]:
    loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    marks: Marks = {}
    duplicates: list[EditionProblem] = []
    if node is not None:
        _collect_marks(node, (), marks, lambda line, key: duplicates.append(
            EditionProblem(path, line, f"duplicate key {key!r}")))
    return data, marks, duplicates


def _collect_marks(node: yaml.Node, where: tuple[str | int, ...], marks: Marks, on_duplicate: Any) -> None:
    marks[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                on_duplicate(key_node.start_mark.line + 1, key)
            seen.add(key)
            _collect_marks(value_node, (*where, key), marks, on_duplicate)
            marks[(*where, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _collect_marks(child, (*where, index), marks, on_duplicate)


def _line(marks: Marks, where: tuple[str | int, ...]) -> int | None:
    # Pydantic locations can go deeper than the file (union members, missing keys):
    # the nearest enclosing node is the line to show.
    for end in range(len(where), -1, -1):
        if where[:end] in marks:
            return marks[where[:end]]
    return None


def _from_pydantic(path: Path, marks: Marks, item: Any) -> EditionProblem:
    where = tuple(item["loc"])
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in where).lstrip(".")
    message = item["msg"].removeprefix("Value error, ")
    return EditionProblem(path, _line(marks, where), f"{dotted or 'file'}: {message}")


def _yaml_reason(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem or error).splitlines()[0]
