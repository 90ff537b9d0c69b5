"""Answers and dates the pure intake tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

YEARS = [2023, 2024, 2025]
# A day well before each edition's deadline, and the deadline day itself.
BEFORE = {2023: date(2023, 5, 1), 2024: date(2024, 9, 1), 2025: date(2025, 7, 1)}
DEADLINE_DAY = {2023: date(2023, 6, 14), 2024: date(2024, 10, 25), 2025: date(2025, 7, 24)}

ELIGIBLE_NEW: dict[str, Any] = {
    "cluster_status": "new",
    "sector": "industrial",
    "member_types": ["companies", "startups", "research", "training", "public"],
    "member_count": 20,
    "company_share_percent": 65,
    "legal_form": "association",
    "has_governance": True,
    "has_collaborative_projects": True,
}
ELIGIBLE_EXISTING: dict[str, Any] = {
    **ELIGIBLE_NEW,
    "cluster_status": "existing",
    "previously_labelled": True,
    "years_of_state_support": 9,
}
