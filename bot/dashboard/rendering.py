"""The workspace's Jinja2 templates for the reference pages, with the filters they use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.templating import Jinja2Templates

from intake.schema import Source

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def as_text(value: Any) -> str:
    """Return a JSON value as readable text (the template escapes it like any other text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def cite_fr(source: Source) -> str:
    """Return a source as the Division reads it: document, édition, date, and whether it is official."""
    parts = [source.document]
    if source.edition:
        parts.append(f"édition {source.edition}")
    if source.date:
        parts.append(source.date)
    return ", ".join(parts) + ("" if source.official else " (non officiel)")


TEMPLATES.env.filters["as_text"] = as_text
TEMPLATES.env.filters["cite_fr"] = cite_fr
