"""Parse modes as Telegram applies them: HTML, MarkdownV2 and legacy Markdown to text + entities."""

from __future__ import annotations

import html
import re
from typing import Any

from botapi.entities import Entity, TextBuilder, parse_error
from botapi.errors import bad_request
from botapi.markdown import MarkdownParser

HTML_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_SAFE_LINK = re.compile(r"(?:https?|tg):", re.IGNORECASE)
_ATTR = re.compile(r"([a-zA-Z_:][-\w:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Return the plain text and entities Telegram makes of `text` under `parse_mode`."""
    mode = (parse_mode or "").strip().lower()
    if not mode:
        return text, []
    if mode == "html":
        return _HtmlParser(text).parse()
    if mode in ("markdownv2", "markdown"):
        return MarkdownParser(text, v2=mode == "markdownv2").parse()
    raise bad_request("unsupported parse_mode")


class _HtmlParser:
    """Telegram's HTML subset: balanced, known tags and the four named entities."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out = TextBuilder()
        self.stack: list[tuple[str, int, dict[str, Any]]] = []

    def byte_offset(self, index: int) -> int:
        """Return the UTF-8 byte offset Telegram reports in its errors."""
        return len(self.text[:index].encode())

    def parse(self) -> tuple[str, list[Entity]]:
        """Parse the whole text."""
        i = 0
        while i < len(self.text):
            char = self.text[i]
            if char == "<":
                i = self._tag(i)
            elif char == "&" and (match := _ENTITY.match(self.text, i)):
                self.out.add(html.unescape(match.group(0)))
                i = match.end()
            else:
                end = min(pos for pos in (self._find("<", i + 1), self._find("&", i + 1)))
                self.out.add(self.text[i:end])
                i = end
        if self.stack:
            raise parse_error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"'
            )
        return self.out.result()

    def _find(self, char: str, start: int) -> int:
        """Return the next index of `char`, or the end of the text."""
        found = self.text.find(char, start)
        return len(self.text) if found < 0 else found

    def _tag(self, index: int) -> int:
        """Handle the tag at `index` and return the index after it."""
        match = _TAG.match(self.text, index)
        if match is None:
            snippet = self.text[index + 1 : index + 11].split(">")[0]
            raise parse_error(
                f'Unsupported start tag "{snippet}" at byte offset {self.byte_offset(index)}'
            )
        closing, name = match.group(1) == "/", match.group(2).lower()
        if closing:
            self._close(name, index)
        else:
            self._open(name, _attributes(match.group(3)), index)
        return match.end()

    def _open(self, name: str, attrs: dict[str, str], index: int) -> None:
        """Push an opening tag, refusing tags Telegram does not know."""
        if name not in HTML_TYPES or (name == "span" and attrs.get("class") != "tg-spoiler"):
            raise parse_error(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(index)}'
            )
        if name == "code" and self.stack and self.stack[-1][0] == "pre":
            language = attrs.get("class", "").removeprefix("language-")
            self.stack[-1][2]["language"] = language or None
            attrs = {"merged": "1"}
        self.stack.append((name, self.out.length, attrs))

    def _close(self, name: str, index: int) -> None:
        """Pop the matching opening tag and record its entity."""
        if not self.stack:
            raise parse_error(f"Unexpected end tag at byte offset {self.byte_offset(index)}")
        opened, start, attrs = self.stack.pop()
        if opened != name:
            raise parse_error(
                f"Unmatched end tag at byte offset {self.byte_offset(index)}, "
                f'expected "</{opened}>", found "</{name}>"'
            )
        if name == "pre":
            self.out.entity("pre", start, language=attrs.get("language"))
        elif name == "a":
            href = attrs.get("href") or ""
            if href and not _SAFE_LINK.match(href):
                # Telegram refuses links other than http(s) and tg: (javascript:, data:, ...).
                raise parse_error(f"Unsupported URL protocol in a link: {href.split(':', 1)[0]!r}")
            self.out.entity("text_link" if href else "", start, url=href or None)
        elif name == "tg-emoji":
            self.out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id"))
        elif name == "blockquote" and "expandable" in attrs:
            self.out.entity("expandable_blockquote", start)
        elif "merged" not in attrs:
            self.out.entity(HTML_TYPES[name], start)


def _attributes(raw: str) -> dict[str, str]:
    """Return the attributes of a tag, unquoted and unescaped."""
    found: dict[str, str] = {}
    for name, value in _ATTR.findall(raw):
        found[name.lower()] = html.unescape(value.strip("\"'")) if value else ""
    return found
