"""MarkdownV2 (every reserved character escaped) and legacy Markdown, parsed as Telegram does."""

from __future__ import annotations

from botapi.entities import Entity, TextBuilder, parse_error

MARKDOWN_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "[": "TextUrl",
    "![": "CustomEmoji",
    "`": "Code",
    "```": "Pre",
}
_MD_TYPES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


class MarkdownParser:
    """MarkdownV2 (every reserved character escaped) and legacy Markdown."""

    def __init__(self, text: str, *, v2: bool) -> None:
        self.text = text
        self.v2 = v2
        self.out = TextBuilder()
        self.stack: list[tuple[str, int, int]] = []
        self.quote: tuple[str, int] | None = None

    def byte_offset(self, index: int) -> int:
        """Return the UTF-8 byte offset Telegram reports in its errors."""
        return len(self.text[:index].encode())

    def parse(self) -> tuple[str, list[Entity]]:
        """Parse the whole text."""
        i = 0
        while i < len(self.text):
            i = self._step(i)
        self._end_quote()
        if self.stack:
            marker, _, index = self.stack[-1]
            name = _MD_NAMES.get(marker, "the")
            where = f"at byte offset {self.byte_offset(index)}"
            raise parse_error(
                f"Can't find end of {name} entity {where}"
                if self.v2
                else f"Can't find end of the entity starting {where}"
            )
        return self.out.result()

    def _step(self, i: int) -> int:
        """Consume the markup or text at `i` and return the next index."""
        text, char = self.text, self.text[i]
        if char == "\\" and i + 1 < len(text) and (self.v2 or text[i + 1] in "_*`["):
            self.out.add(text[i + 1])
            return i + 2
        if self.v2 and (i == 0 or text[i - 1] == "\n") and (quoted := self._quote_start(i)):
            return quoted
        if char == "\n":
            self._line_break(i)
            return i + 1
        if char == "`":
            return self._code(i)
        if char in "[]" or (self.v2 and text.startswith("![", i)):
            return self._link(i)
        if self._ends_expandable_quote(i):
            return i + 2
        marker = self._marker(i)
        if marker:
            self._toggle(marker, i)
            return i + len(marker)
        if self.v2 and char in MARKDOWN_V2_RESERVED:
            raise parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        self.out.add(char)
        return i + 1

    def _marker(self, i: int) -> str:
        """Return the emphasis marker at `i`, if any."""
        if not self.v2:
            return self.text[i] if self.text[i] in "*_" else ""
        for marker in ("__", "||", "*", "_", "~"):
            if self.text.startswith(marker, i):
                return marker
        return ""

    def _toggle(self, marker: str, i: int) -> None:
        """Open an emphasis entity, or close the open one with the same marker."""
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == marker:
                _, start, _ = self.stack.pop(position)
                self.out.entity(_MD_TYPES[marker], start)
                return
        if not self.v2 and self.stack:
            where = self.byte_offset(self.stack[-1][2])
            raise parse_error(f"Can't find end of the entity starting at byte offset {where}")
        self.stack.append((marker, self.out.length, i))

    def _code(self, i: int) -> int:
        """Consume an inline code or a pre block starting at `i`."""
        fence = "```" if self.text.startswith("```", i) else "`"
        j, start, language = i + len(fence), self.out.length, None
        if fence == "```":
            line_end = self.text.find("\n", j)
            first_line = self.text[j:line_end] if line_end >= 0 else ""
            if line_end >= 0 and " " not in first_line and "`" not in first_line:
                language, j = first_line or None, line_end + 1
        while j < len(self.text) and not self.text.startswith(fence, j):
            if self.text[j] == "\\" and j + 1 < len(self.text) and self.v2:
                j += 1
            self.out.add(self.text[j])
            j += 1
        if j >= len(self.text):
            self.stack.append(("```" if fence == "```" else "`", start, i))
            return j
        self.out.entity("pre" if fence == "```" else "code", start, language=language)
        return j + len(fence)

    def _link(self, i: int) -> int:
        """Open a link text at `[`, or close it at `](url)`."""
        if self.text[i] != "]":
            marker = "![" if self.text[i] == "!" else "["
            self.stack.append((marker, self.out.length, i))
            return i + len(marker)
        if not self.stack or self.stack[-1][0] not in ("[", "!["):
            if not self.v2:
                self.out.add("]")
                return i + 1
            raise parse_error(
                "Character ']' is reserved and must be escaped with the preceding '\\'"
            )
        marker, start, _ = self.stack.pop()
        url, end = self._url(i + 1)
        if marker == "![":
            self.out.entity("custom_emoji", start, custom_emoji_id=url.split("id=")[-1])
        else:
            self.out.entity("text_link", start, url=url)
        return end

    def _url(self, i: int) -> tuple[str, int]:
        """Read `(url)` at `i`; return the URL and the index after it."""
        if not self.text.startswith("(", i):
            raise parse_error(f"Can't find end of a URL at byte offset {self.byte_offset(i)}")
        chars, j = [], i + 1
        while j < len(self.text) and self.text[j] != ")":
            if self.text[j] == "\\" and j + 1 < len(self.text):
                j += 1
            chars.append(self.text[j])
            j += 1
        if j >= len(self.text):
            raise parse_error(f"Can't find end of a URL at byte offset {self.byte_offset(i)}")
        return "".join(chars), j + 1

    def _quote_start(self, i: int) -> int:
        """Open or continue a block quotation at a line start; return 0 when there is none."""
        for prefix, kind in (("**>", "expandable_blockquote"), (">", "blockquote")):
            if self.text.startswith(prefix, i):
                if self.quote is None:
                    self.quote = (kind, self.out.length)
                return i + len(prefix)
        return 0

    def _ends_expandable_quote(self, i: int) -> bool:
        """Return whether `||` at `i` closes an expandable quotation at the end of its line."""
        if self.quote is None or self.quote[0] != "expandable_blockquote":
            return False
        after = i + 2
        return self.text.startswith("||", i) and (
            after == len(self.text) or self.text[after] == "\n"
        )

    def _line_break(self, i: int) -> None:
        """End a block quotation whose next line does not continue it."""
        if self.quote is not None and not self.text.startswith(">", i + 1):
            self._end_quote()
        self.out.add("\n")

    def _end_quote(self) -> None:
        """Record the open block quotation, if any."""
        if self.quote is not None:
            kind, start = self.quote
            self.out.entity(kind, start)
            self.quote = None
