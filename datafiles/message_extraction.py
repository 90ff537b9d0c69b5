"""A Babel extraction method for symbolic message ids: `pybabel extract -F babel.cfg`.

Babel's own Python extractor reads the tokens of a file, and on Python 3.11 an f-string
is one token, so `f"{say('welcome', language)}"` would be missed. This one reads the
syntax tree: the first argument of every call to a keyword function (`say`, `N_`), and
both branches of `say('a' if x else 'b', ...)`. A `babel.cfg` section's `only = say` keeps
just those keywords for its files (the workspace's `N_` texts are a domain of their own).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract_message_ids(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                        options: Mapping[str, Any]) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield (line, function, message id, comments) for each literal id passed to a keyword."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    if "only" in options:
        keywords = set(keywords) & set(str(options["only"]).split())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and _called(node.func) in keywords:
            for message_id in _literals(node.args[0]):
                yield node.lineno, _called(node.func), message_id, []


def _called(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _literals(argument: ast.expr) -> list[str]:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return [argument.value]
    if isinstance(argument, ast.IfExp):
        return _literals(argument.body) + _literals(argument.orelse)
    return []
