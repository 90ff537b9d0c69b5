"""The workspace's Jinja2 templates, in the request's language, with the filters they use.

Every page module renders with `TEMPLATES`: its context processor gives each render the
request's language, text direction and gettext (`bot/dashboard/languages.py`), and the i18n
extension's `{% trans %}` and `_()` look the texts up in that gettext.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot.dashboard.languages import gettext_for, language_context
from intake.services.staff_sessions import StaffSessionView

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"), context_processors=[language_context])


@pass_context
def _gettext(context: Context, message: str) -> str:
    """Translate a template's text into the language of the request being rendered."""
    return str(context["translations"].gettext(message))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return str(context["translations"].ngettext(singular, plural, number))


def as_text(value: Any) -> str:
    """Return a JSON value as readable text (the template escapes it like any other text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def stamp(moment: datetime | date, zone: str = "UTC") -> Markup:
    """Return a moment as `2025-07-01 09:00 UTC`, kept left to right inside Arabic text."""
    shown = moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else moment.isoformat()
    return Markup('<time datetime="{}" dir="ltr">{}</time>').format(
        moment.isoformat(), f"{shown} {zone}" if zone else shown)


TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.policies["ext.i18n.trimmed"] = True  # babel.cfg extracts with `trimmed = true` too
TEMPLATES.env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
TEMPLATES.env.filters["as_text"] = as_text
TEMPLATES.env.filters["stamp"] = stamp


def forbidden(request: Request, staff: StaffSessionView, what: str) -> Response:
    """Return the 403 page naming what the staff member's role does not allow (`what`: a text marked `N_`)."""
    return TEMPLATES.TemplateResponse(request, "forbidden.html", {"staff": staff, "what": gettext_for(request)(what)},
                                      status_code=403)
