"""Drop page furniture (navigation, "Lire aussi" lists, other news) around a call text."""

from __future__ import annotations

import re

# A web page's related-items block starts with one of these headings; nothing after it
# is about the call, so the text is cut there.
_RELATED_HEADINGS = re.compile(
    r"^\s*(lire aussi|a lire aussi|à lire aussi|voir aussi|articles? similaires?|"
    r"dans la meme rubrique|dans la même rubrique|related|read also|اقرأ أيضا)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_NOISE_LINE = re.compile(
    r"^\s*(\"|“|”|«|»|communiqué de presse|partager|imprimer|\(?cliquer ici[^)]*\)?)\s*$",
    re.IGNORECASE,
)
_CLICK_HERE = re.compile(r"\(\s*cliquer ici[^)]*\)", re.IGNORECASE)


def strip_furniture(text: str) -> str:
    """Return the call text without the related-items block and stray page furniture."""
    match = _RELATED_HEADINGS.search(text)
    if match:
        text = text[: match.start()]
    lines = [line for line in text.splitlines() if not _NOISE_LINE.match(line)]
    cleaned = _CLICK_HERE.sub("", "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()
