"""Text in SQL that compares the same on SQLite and PostgreSQL: folded case and code-point order.

SQLite's own `lower()` and `LIKE` fold ASCII letters only, so an accented name would
match differently on the two databases; SQLite connections get Python's `str.casefold`
as a SQL function instead (`create_db_engine` registers it on connect).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

SQLITE_CASEFOLD = "casefold"
LIKE_ESCAPE = "/"  # as SQLAlchemy's autoescape: a backslash is read differently by the two databases


class Casefold(FunctionElement[str]):
    """A text in folded case: Python's `str.casefold` on SQLite, `lower()` on PostgreSQL."""

    type = String()
    name = SQLITE_CASEFOLD
    inherit_cache = True


class CodePointOrder(FunctionElement[str]):
    """A text sorted by code points, as Python sorts strings, whatever the database's locale."""

    type = String()
    name = "code_point_order"
    inherit_cache = True


@compiles(Casefold)
def _casefold_sqlite(element: Casefold, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_CASEFOLD}({compiler.process(element.clauses, **kw)})"


@compiles(Casefold, "postgresql")
def _casefold_postgresql(element: Casefold, compiler: SQLCompiler, **kw: Any) -> str:
    # lower() follows the database's LC_CTYPE; under a UTF-8 locale it folds accented letters too.
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(CodePointOrder)
def _code_point_order_sqlite(element: CodePointOrder, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's BINARY collation compares UTF-8 bytes, which is code-point order already.
    return compiler.process(element.clauses, **kw)


@compiles(CodePointOrder, "postgresql")
def _code_point_order_postgresql(element: CodePointOrder, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


def contains_text(haystack: ColumnElement[str], needle: str) -> ColumnElement[bool]:
    """Return whether `haystack` holds `needle`, case folded; `%`, `_` and quotes in `needle` are plain text."""
    escaped = needle.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace(
        "_", LIKE_ESCAPE + "_")
    return Casefold(haystack).contains(Casefold(escaped), escape=LIKE_ESCAPE)


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """Give a SQLite connection the functions the constructs above compile to."""
    dbapi_connection.create_function(SQLITE_CASEFOLD, 1, _fold, deterministic=True)


def _fold(text: Any) -> Any:
    return text.casefold() if isinstance(text, str) else text
