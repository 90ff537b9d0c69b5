"""Parse modes: the plain text and entities Telegram would make, and what it refuses (no HTTP)."""

from __future__ import annotations

import pytest

from botapi.errors import ApiError
from botapi.markup import parse_text
from botapi.simulate import command_entities


@pytest.mark.parametrize(
    ("text", "mode", "plain", "entities"),
    [
        ("plain *text*", None, "plain *text*", []),
        (
            "<b>a</b> <i>b<u>c</u></i>",
            "HTML",
            "a bc",
            [("bold", 0, 1), ("italic", 2, 2), ("underline", 3, 1)],
        ),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2 &#233;", "HTML", "1 < 2 && 3 > 2 é", []),
        ('<a href="https://mcinet.gov.ma">site</a>', "HTML", "site", [("text_link", 0, 4)]),
        (
            '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
            "HTML",
            "st",
            [("spoiler", 0, 1), ("spoiler", 1, 1)],
        ),
        ('<pre><code class="language-python">x</code></pre>', "HTML", "x", [("pre", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "HTML", "q", [("expandable_blockquote", 0, 1)]),
        ("😀 <b>é</b>", "HTML", "😀 é", [("bold", 3, 1)]),
        (
            "*g* _i_ __u__ ~s~ ||p||",
            "MarkdownV2",
            "g i u s p",
            [
                ("bold", 0, 1),
                ("italic", 2, 1),
                ("underline", 4, 1),
                ("strikethrough", 6, 1),
                ("spoiler", 8, 1),
            ],
        ),
        ("Fin\\. \\(1\\)", "MarkdownV2", "Fin. (1)", []),
        ("[lien](https://x.ma/a\\)b)", "MarkdownV2", "lien", [("text_link", 0, 4)]),
        ("`a.b` ```\nc.d```", "MarkdownV2", "a.b c.d", [("code", 0, 3), ("pre", 4, 3)]),
        (">cite\n>suite\nfin", "MarkdownV2", "cite\nsuite\nfin", [("blockquote", 0, 10)]),
        ("*gras* et 1.5 (ok)", "Markdown", "gras et 1.5 (ok)", [("bold", 0, 4)]),
    ],
)
def test_parse_modes_make_telegram_entities(
    text: str, mode: str | None, plain: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed, found = parse_text(text, mode)

    assert parsed == plain
    assert [(e["type"], e["offset"], e["length"]) for e in found] == entities


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("<b>x</i>", "HTML"),
        ("<b>x", "HTML"),
        ("x</b>", "HTML"),
        ("<p>x</p>", "HTML"),
        ("<span>x</span>", "HTML"),
        ("a < b", "HTML"),
        ("a.b", "MarkdownV2"),
        ("a-b", "MarkdownV2"),
        ("_x", "MarkdownV2"),
        ("[x](y", "MarkdownV2"),
        ("`x", "MarkdownV2"),
        ("*x", "Markdown"),
        ("x", "Markdown3"),
    ],
)
def test_unbalanced_or_unescaped_markup_is_refused(text: str, mode: str) -> None:
    with pytest.raises(ApiError) as refused:
        parse_text(text, mode)

    assert refused.value.error_code == 400


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("/start", 6),
        ("/start@cluster_bot payload", 18),
        ("/aide\nplus", 5),
        ("start", 0),
        ("/é", 0),
    ],
)
def test_leading_command_gets_a_bot_command_entity(text: str, length: int) -> None:
    entities = command_entities(text)

    assert [e["length"] for e in entities] == ([length] if length else [])
