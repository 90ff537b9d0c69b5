"""Validated YAML data files: every mistake reported as `file:line: message`.

Editions (`intake`) and answer cards (`knowledge`) are data files that people edit by
hand; both are read through here so a mistake always names the line to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)

Marks = dict[tuple[str | int, ...], int]
# LibYAML's loader reads the cards about ten times faster than the pure-Python one, with the same lines.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One mistake in a data file, with the line it is on when known."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


class DataFileError(Exception):
    """A data file could not be read or is not valid."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def read_yaml(path: Path) -> tuple[Any, Marks, list[Problem]]:
    """Return a YAML file's data, the line of every key and item, and its duplicate keys.

    Raises:
        DataFileError: the file is not valid YAML (with the line of the mistake).
    """
    try:
        loader = _SafeLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError([Problem(path, line, f"not valid YAML: {_yaml_reason(error)}")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError([Problem(path, None, f"cannot read: {error}")]) from None
    marks: Marks = {}
    duplicates: list[Problem] = []
    if node is not None:
        _collect_marks(node, (), marks, lambda line, key: duplicates.append(
            Problem(path, line, f"duplicate key {key!r}")))
    return data, marks, duplicates


def read_model(path: Path, model: type[Model]) -> tuple[Model, Marks, list[Problem]]:
    """Return a YAML file validated as a pydantic model, the lines of its nodes, and its duplicate keys.

    Raises:
        DataFileError: the file is not valid YAML or not a valid `model`, every mistake with its line.
    """
    data, marks, problems = read_yaml(path)
    try:
        return model.model_validate(data), marks, problems
    except ValidationError as error:
        raise DataFileError(problems + [pydantic_problem(path, marks, item) for item in error.errors()]) from None


def line_of(marks: Marks, where: tuple[str | int, ...]) -> int | None:
    """Return the line of a location, or of the nearest enclosing node the file has."""
    # Pydantic locations can go deeper than the file (union members, missing keys).
    for end in range(len(where), -1, -1):
        if where[:end] in marks:
            return marks[where[:end]]
    return None


def pydantic_problem(path: Path, marks: Marks, item: Any) -> Problem:
    """Turn one pydantic error into a `Problem` on the line it concerns."""
    where = tuple(item["loc"])
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in where).lstrip(".")
    message = item["msg"].removeprefix("Value error, ")
    return Problem(path, line_of(marks, where), f"{dotted or 'file'}: {message}")


def _collect_marks(node: yaml.Node, where: tuple[str | int, ...], marks: Marks, on_duplicate: Any) -> None:
    marks[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                on_duplicate(key_node.start_mark.line + 1, key)
            seen.add(key)
            _collect_marks(value_node, (*where, key), marks, on_duplicate)
            marks[(*where, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _collect_marks(child, (*where, index), marks, on_duplicate)


def _yaml_reason(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem or error).splitlines()[0]
