"""Fixtures for the pure intake tests: the packaged editions and a complete set of answers."""

from __future__ import annotations

import pytest
from intake_cases import YEARS

from intake.catalog import EditionCatalog, packaged_catalog
from intake.schema import Edition


@pytest.fixture(scope="session")
def catalog() -> EditionCatalog:
    """Return the packaged editions."""
    return packaged_catalog()


@pytest.fixture(params=YEARS, ids=[str(year) for year in YEARS])
def edition(request: pytest.FixtureRequest, catalog: EditionCatalog) -> Edition:
    """Return each packaged edition in turn."""
    return catalog.get(request.param)
