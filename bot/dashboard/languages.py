"""The workspace's language for each request: French by default, Arabic (right to left) and English.

The texts are the gettext domain `dashboard` (`bot/dashboard/locale/`), extracted from the
templates (`{% trans %}`, `_()`) and from the route modules (`_()`, `gettext()`, and `N_()`
for a text chosen at run time) by `scripts/messages.sh`. Their message ids are the French
texts, so French needs no catalogue entry. A staff member picks a language with the switch
in every page's header (`/language/{code}`, a cookie for a year); without the cookie the
browser's Accept-Language chooses among the three.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from datafiles.language import Language

LANGUAGE_COOKIE = "ca_lang"
COOKIE_AGE = 365 * 24 * 3600
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "dashboard"
NAMES = {Language.FR: "Français", Language.AR: "العربية", Language.EN: "English"}  # each in its own language
RIGHT_TO_LEFT = {Language.AR}
CODES = {language.value for language in Language}


@cache
def translations(language: Language) -> gettext_module.GNUTranslations:
    """Return a language's compiled catalogue, loaded once (a missing `.mo` is an error, not French)."""
    found = gettext_module.translation(DOMAIN, LOCALE_DIR, [language.value])
    assert isinstance(found, gettext_module.GNUTranslations)
    return found


def request_language(request: Request) -> Language:
    """Return the language of a request: its `ca_lang` cookie, else its Accept-Language, else French."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in CODES:
        return Language(chosen)
    return preferred_language(request.headers.get("accept-language", ""))


def preferred_language(header: str) -> Language:
    """Return the one of fr, ar and en an Accept-Language header ranks highest; French when it names none."""
    ranked: list[tuple[float, str]] = []
    for part in header.split(",")[:30]:
        tag, _, weight = part.strip().partition(";")
        try:
            quality = float(weight.strip().removeprefix("q=")) if weight else 1.0
        except ValueError:
            continue  # a malformed weight: that entry is ignored
        ranked.append((quality, tag.split("-")[0].strip().lower()))
    for quality, code in sorted(ranked, key=lambda entry: -entry[0]):  # stable: equal weights keep their order
        if quality > 0 and code in CODES:
            return Language(code)
    return Language.FR


def gettext_for(request: Request) -> Callable[[str], str]:
    """Return the gettext of a request's language, for the texts a route writes itself."""
    return translations(request_language(request)).gettext


def language_context(request: Request) -> dict[str, Any]:
    """Return what every template needs for the request's language (a Jinja2Templates context processor)."""
    language = request_language(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    back = here if request.method == "GET" else "/"
    return {"lang": language, "text_direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
            "translations": translations(language),
            "language_links": [(code, name, f"/language/{code.value}?{urlencode({'next': back})}")
                               for code, name in NAMES.items()]}


def local_path(target: str | None) -> str:
    """Return `target` when it is a path on this site, else `/` (the switch never sends anyone elsewhere)."""
    if not target or not target.startswith("/") or target.startswith("//") or len(target) > 2000:
        return "/"
    if "\\" in target or any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return "/"  # browsers read `/\host` as `//host` and drop tabs and newlines
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


async def choose_language(request: Request) -> Response:
    """Keep the chosen language in a cookie for a year and go back to the page the switch was on."""
    code = request.path_params["code"]
    if code not in CODES:
        _ = gettext_for(request)
        return PlainTextResponse(_("Langue inconnue : fr, ar ou en."), status_code=404)
    response = RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=COOKIE_AGE, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response
