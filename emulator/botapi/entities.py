"""Plain text and entities as Telegram measures them (UTF-16 offsets), shared by the parse modes."""

from __future__ import annotations

from typing import Any

from botapi.errors import ApiError, bad_request

Entity = dict[str, Any]


def utf16_len(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_error(detail: str) -> ApiError:
    """Return Telegram's 400 for text it cannot parse."""
    return bad_request(f"can't parse entities: {detail}")


class TextBuilder:
    """Plain text being built, with entities measured in UTF-16 code units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []

    def add(self, text: str) -> None:
        """Append plain text."""
        self.parts.append(text)
        self.length += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        """Record an entity from `start` to the current end, unless it is empty."""
        if kind and self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start})
            self.entities[-1].update({key: value for key, value in extra.items() if value})

    def result(self) -> tuple[str, list[Entity]]:
        """Return the text and its entities ordered as Telegram orders them."""
        ordered = sorted(self.entities, key=lambda item: (item["offset"], -item["length"]))
        return "".join(self.parts), ordered
