"""Splitting long HTML messages under Telegram's limit, at paragraphs first."""

from __future__ import annotations

import html
import re

import pytest

from bot.telegram.rendering import MESSAGE_LIMIT, escape, split_html, visible_length

BROKEN_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


def joined_plain(parts: list[str]) -> str:
    return " ".join(html.unescape(part) for part in parts).split()  # type: ignore[return-value]


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("court", 4096, ["court"]),
    ("un\n\ndeux\n\ntrois", 9, ["un\n\ndeux", "trois"]),
    ("un\n\ndeux\n\ntrois", 100, ["un\n\ndeux\n\ntrois"]),
    ("<b>titre</b>\n\ncorps", 11, ["<b>titre</b>", "corps"]),
    ("a b c d e f", 5, ["a b c", "d e f"]),
    ("ligne une\nligne deux", 10, ["ligne une", "ligne deux"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ("&amp;&amp;&amp;", 3, ["&amp;&amp;&amp;"]),
])
def test_split_html_table(text: str, limit: int, expected: list[str]) -> None:
    assert split_html(text, limit) == expected


def test_every_part_fits_and_nothing_is_lost() -> None:
    paragraphs = [escape(f"Paragraphe {n} : « l'appel » & ses règles. " * (n % 40 + 1)) for n in range(200)]
    text = "\n\n".join(paragraphs)

    parts = split_html(text)

    assert len(parts) > 1
    assert all(visible_length(part) <= MESSAGE_LIMIT for part in parts)
    assert joined_plain(parts) == joined_plain([text])


def test_a_single_huge_paragraph_is_cut_at_words_and_stays_valid_html() -> None:
    text = escape("mot<>& " * 2000)

    parts = split_html(text, 500)

    assert all(visible_length(part) <= 500 for part in parts)
    # escaped text stays escaped: no raw tag, and no entity cut in two ("&am" + "p;")
    assert all("<" not in part and not BROKEN_ENTITY.search(part) for part in parts)
    assert joined_plain(parts) == joined_plain([text])


def test_length_counts_utf16_units_as_telegram_does() -> None:
    assert visible_length("😀") == 2 and visible_length("مرحبا") == 5
    assert visible_length("<b>a</b>&amp;") == 2
    parts = split_html("😀" * 5, 4)
    assert parts == ["😀😀", "😀😀", "😀"]
