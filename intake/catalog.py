"""Load edition files, report their mistakes by line, and hold the editions a process uses."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from datafiles import DataFileError, Problem, line_of, read_model
from intake.edition_checks import check_edition
from intake.errors import UnknownEdition
from intake.schema import Edition

logger = logging.getLogger(__name__)

EDITIONS_DIR = Path(__file__).parent / "editions"


# An edition file's mistakes are the data-file mistakes every validated file reports.
EditionProblem = Problem
EditionFileError = DataFileError


def load_edition_file(path: Path) -> Edition:
    """Read, validate and cross-check one edition file.

    Raises:
        EditionFileError: listing every mistake with its line.
    """
    edition, marks, problems = read_model(path, Edition)
    problems += [EditionProblem(path, line_of(marks, where), message) for where, message in check_edition(edition)]
    if path.stem.isdigit() and int(path.stem) != edition.year:
        problems.append(
            EditionProblem(path, line_of(marks, ("year",)), f"year {edition.year} differs from the file name")
        )
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
            report[path].append(
                EditionProblem(path, None, f"year {edition.year} is also in {years[edition.year].name}")
            )
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
